import { useTranslation } from 'react-i18next'
import type { RiskReason, UserSummaryDto } from '../../../../shared/dto'
import { Panel } from '../../ui/Layout'
import { lockLabel, type UsersT } from './format'
import styles from './Risk.module.css'

type RiskSubject = Pick<UserSummaryDto, 'role' | 'backupCodesLeft' | 'lockedUntil' | 'lockedForever'>

/** A reason in a few words, for the Users table's Risk column. */
export function riskLabel(t: UsersT, reason: RiskReason, u: RiskSubject): string {
  switch (reason) {
    case 'privileged-without-2fa':
      return t(u.role === 'owner' ? 'risk.label.ownerWithout2fa' : 'risk.label.adminWithout2fa')
    case 'required-overdue':
      return t('risk.label.overdue')
    case 'few-backup-codes':
      return t(u.backupCodesLeft === 1 ? 'risk.label.oneCode' : 'risk.label.noCodes')
    case 'no-verified-phone':
      return t('risk.label.noPhone')
    case 'locked':
      return lockLabel(t, u)
  }
}

/** Why a reason matters and what to do about it, for the user's page. */
export function riskAdvice(t: UsersT, reason: RiskReason, u: RiskSubject): string {
  if (reason === 'few-backup-codes')
    return t(u.backupCodesLeft === 1 ? 'risk.advice.oneCode' : 'risk.advice.noCodes')
  return t(`risk.advice.${reason}`)
}

/**
 * The Users table's Risk cell: the worst reason in words, and how many more (all of them on hover and
 * for screen readers). It takes the table's `t` rather than asking for its own: a hook in every row
 * would cost the 100,000-row list a subscription per row.
 */
export function RiskCell({ user, t }: { user: UserSummaryDto; t: UsersT }) {
  const [worst, ...rest] = user.riskReasons
  if (!worst) return <span className="muted">—</span>
  const all = user.riskReasons.map((r) => riskLabel(t, r, user)).join('; ')
  return (
    <span className={styles.cell} title={all}>
      <span className={styles.worst}>{riskLabel(t, worst, user)}</span>
      {rest.length > 0 && (
        <>
          {' '}
          <span className={styles.more} aria-hidden="true">
            {t('risk.more', { count: rest.length })}
          </span>
          <span className="visually-hidden">
            {t('risk.also', { reasons: rest.map((r) => riskLabel(t, r, user)).join('; ') })}
          </span>
        </>
      )}
    </span>
  )
}

/** The user's page: every reason, worst first, with what to do about each. */
export function RiskPanel({ user }: { user: UserSummaryDto }) {
  const { t } = useTranslation('users')
  if (user.riskReasons.length === 0) return null
  return (
    <Panel title={t('risk.title')}>
      <ol className={styles.reasons}>
        {user.riskReasons.map((r) => (
          <li key={r}>
            <strong className={styles.worst}>{riskLabel(t, r, user)}.</strong> {riskAdvice(t, r, user)}
          </li>
        ))}
      </ol>
    </Panel>
  )
}
