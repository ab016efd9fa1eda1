import { useTranslation } from 'react-i18next'
import type { RecoveryFactsDto, RecoveryRequestDetailDto } from '../../../../shared/dto'
import { RECOVERY_FACTS_DAYS } from '../../../../shared/schemas'
import { Button } from '../../ui/Button'
import { Panel } from '../../ui/Layout'
import { useNavigate } from '../shell/navigation'
import { currentLocale } from '../../format/time'
import { dateOnly, dateTime } from '../users/format'
import type { RecoveryT } from './format'
import styles from './RecoveryFacts.module.css'

type Recent = { count: number; latestAt: number | null }

function recent(t: RecoveryT, f: Recent, kind: 'recentFailures' | 'recentLockouts'): string {
  return f.count === 0 || f.latestAt === null
    ? t('facts.none')
    : t(`facts.${kind}`, { count: f.count, at: dateTime(f.latestAt) })
}

function lastSignIn(t: RecoveryT, s: RecoveryFactsDto['lastSignIn']): string {
  if (!s) return t('facts.neverSignedIn')
  const at = dateTime(s.at)
  if (!s.machine) return t('facts.signedIn', { at })
  return s.via === 'cli'
    ? t('facts.signedInCli', { at, machine: s.machine })
    : t('facts.signedInConsole', { at, machine: s.machine })
}

/** Backup codes left and, when there are some, the quicker way back than a recovery. */
function BackupCodes({ codes }: { codes: RecoveryFactsDto['backupCodes'] }) {
  const { t } = useTranslation('recovery')
  if (codes.total === 0) return <>{t('facts.noBackupCodes')}</>
  if (codes.left === 0) return <>{t('facts.noneLeft', { total: codes.total })}</>
  return (
    <>
      {t('facts.left', { left: codes.left, total: codes.total })}
      <span className={styles.suggestion}>{t('facts.suggestion')}</span>
    </>
  )
}

/**
 * The facts an agent decides with, beside the request: when and where the person last signed in, recent
 * failures and lockouts, backup codes left, the emergency phone's verification date and their other
 * requests. None of it is secret: no code and no phone number.
 */
export function RecoveryFacts({ detail }: { detail: RecoveryRequestDetailDto }) {
  const { t } = useTranslation('recovery')
  const navigate = useNavigate()
  const f = detail.facts
  if (!f) return null
  return (
    <Panel title={t('facts.title')}>
      <dl className="facts">
        <dt>{t('facts.lastSignIn')}</dt>
        <dd>{lastSignIn(t, f.lastSignIn)}</dd>
        <dt>{t('facts.failures', { count: RECOVERY_FACTS_DAYS })}</dt>
        <dd>{recent(t, f.failures, 'recentFailures')}</dd>
        <dt>{t('facts.lockouts', { count: RECOVERY_FACTS_DAYS })}</dt>
        <dd>
          {recent(t, f.lockouts, 'recentLockouts')}
          {f.lockedNow && (
            <span className={styles.alarm}>
              {f.lockedNow.until === null
                ? t('facts.lockedUntilAdmin')
                : t('facts.lockedUntil', { at: dateTime(f.lockedNow.until) })}
            </span>
          )}
        </dd>
        <dt>{t('facts.backupCodes')}</dt>
        <dd>
          <BackupCodes codes={f.backupCodes} />
        </dd>
        <dt>{t('facts.phone')}</dt>
        <dd>
          {f.phoneVerifiedAt === null
            ? t('facts.noPhone')
            : t('facts.phoneVerified', { date: dateOnly(f.phoneVerifiedAt) })}
        </dd>
        <dt>{t('facts.other')}</dt>
        <dd>
          {f.otherRequests.count === 0 ? (
            t('facts.none')
          ) : (
            <>
              {t('facts.otherCount', { count: f.otherRequests.count })}
              {f.otherRequests.count > f.otherRequests.latest.length && t('facts.newest')}
              <ul className={styles.requests} aria-label={t('facts.otherLabel')}>
                {f.otherRequests.latest.map((r) => (
                  <li key={r.id}>
                    <Button
                      variant="ghost"
                      className="link-button"
                      onClick={() => navigate({ page: 'recovery-request', requestId: r.id })}
                    >
                      {t('facts.otherLink', { id: r.id })}
                    </Button>{' '}
                    {t('facts.otherState', {
                      status: t(`status.${r.status}`).toLocaleLowerCase(currentLocale()),
                      date: dateOnly(r.createdAt),
                    })}
                  </li>
                ))}
              </ul>
            </>
          )}
        </dd>
      </dl>
    </Panel>
  )
}

/** The one thing to do next, following the request's status; read out when it changes. */
export function NextStep({ text }: { text: string }) {
  const { t } = useTranslation('recovery')
  return (
    <p className={styles.nextStep} role="status" aria-label={t('next.label')}>
      <strong>{t('next.lead')}</strong> {text}
    </p>
  )
}
