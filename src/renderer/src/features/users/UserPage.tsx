import { type ReactNode, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { SessionUser, UserDetailDto, UserSummaryDto } from '../../../../shared/dto'
import { messageOf } from '../../api'
import { isManager } from '../../session/roles'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { ConfirmDialog } from '../../ui/ConfirmDialog'
import { EventList } from '../../ui/EventList'
import { Panel } from '../../ui/Layout'
import { useNavigate } from '../shell/navigation'
import { dateOnly, dateTime, isLocked, lockLabel, roleLabel, statusLabel } from './format'
import { useCachedUserSummary, useUser, useUserAction } from './queries'
import { DangerZone } from './DangerZone'
import { UserActions } from './UserActions'
import { RiskPanel } from './risk'
import { BackupSlotList } from '../two-factor/BackupSlotList'
import { RecoveryStatusBadge } from '../recovery/RecoveryStatusBadge'
import styles from './UserPage.module.css'

function TwoFactorPanel({ detail }: { detail: UserDetailDto }) {
  const { t } = useTranslation('users')
  const s = detail.twoFactor
  return (
    <Panel title={t('user.twoFactor.title')}>
      <dl className="facts">
        <dt>{t('user.twoFactor.status')}</dt>
        <dd>
          {s.enrolled && s.enrolledAt !== null ? (
            <strong className="status-on">
              {t('user.twoFactor.enrolledOn', { date: dateOnly(s.enrolledAt) })}
            </strong>
          ) : (
            <strong>
              {detail.mustEnroll
                ? t('user.twoFactor.mustEnroll')
                : detail.requireTwoFactor
                  ? t('user.twoFactor.requiredNotEnrolled')
                  : t('user.twoFactor.off')}
            </strong>
          )}
          {s.enrolled && detail.requireTwoFactor && (
            <span className="muted">{t('user.twoFactor.alsoRequired')}</span>
          )}
        </dd>
        <dt>{t('user.twoFactor.phone')}</dt>
        <dd>
          {detail.phone ? (
            <>
              <span className="mono">{detail.phone.masked}</span>
              <span className="muted">
                {t('user.twoFactor.verified', { date: dateOnly(detail.phone.verifiedAt) })}
              </span>
            </>
          ) : (
            t('none')
          )}
        </dd>
        {s.enrolled && (
          <>
            <dt>{t('user.twoFactor.codes')}</dt>
            <dd>
              {t('user.twoFactor.codesLeft', { left: s.backupCodesRemaining, total: s.backupCodesTotal })}
            </dd>
          </>
        )}
      </dl>
      {s.enrolled && <BackupSlotList slots={s.slots} />}
    </Panel>
  )
}

function RecoveryHistoryPanel({ detail }: { detail: UserDetailDto }) {
  const { t } = useTranslation('users')
  const navigate = useNavigate()
  return (
    <Panel title={t('user.recovery.title')}>
      {detail.recoveryRequests.length === 0 ? (
        <p className="muted">{t('user.recovery.none')}</p>
      ) : (
        <ul className={styles.plainList}>
          {detail.recoveryRequests.map((r) => (
            <li key={r.id}>
              <Button
                variant="ghost"
                className="link-button"
                onClick={() => navigate({ page: 'recovery-request', requestId: r.id })}
              >
                {t('user.recovery.request', { id: r.id })}
              </Button>{' '}
              <RecoveryStatusBadge status={r.status} />{' '}
              <span className="muted">
                {t('user.recovery.when', { filed: dateTime(r.createdAt), changed: dateTime(r.updatedAt) })}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  )
}

function LockPanel({ detail, canUnlock }: { detail: UserDetailDto; canUnlock: boolean }) {
  const { t } = useTranslation('users')
  const unlock = useUserAction('users.unlock')
  const [confirming, setConfirming] = useState(false)
  const u = detail.user
  const locked = isLocked(u)
  return (
    <Panel
      title={t('user.lock.title')}
      actions={
        locked && canUnlock ? (
          <Button variant="secondary" onClick={() => setConfirming(true)}>
            {t('user.lock.unlock')}
          </Button>
        ) : null
      }
    >
      <p className={locked ? 'text-danger' : 'muted'}>
        {locked ? lockLabel(t, u) : t('user.lock.notLocked')}
        {u.lockedForever && t('user.lock.adminOnly')}
      </p>
      {confirming && (
        <ConfirmDialog
          title={t('user.lock.confirmTitle', { name: u.name })}
          confirmLabel={t('user.lock.unlock')}
          onConfirm={() => unlock.mutateAsync({ userId: u.id }).then(() => setConfirming(false))}
          onClose={() => setConfirming(false)}
        >
          <p>{t('user.lock.confirmBody')}</p>
        </ConfirmDialog>
      )}
    </Panel>
  )
}

/** Who the person is: the facts a Users row holds too, so the page can start from the row. */
function AccountPanel({
  user,
  invitationExpiresAt,
  children,
}: {
  user: UserSummaryDto
  invitationExpiresAt: number | null
  children?: ReactNode
}) {
  const { t } = useTranslation('users')
  return (
    <Panel title={t('user.account')}>
      <dl className="facts">
        <dt>{t('user.email')}</dt>
        <dd>{user.email}</dd>
        <dt>{t('user.role')}</dt>
        <dd>{roleLabel(t, user.role)}</dd>
        <dt>{t('user.status')}</dt>
        <dd>{statusLabel(t, user.status)}</dd>
        {invitationExpiresAt !== null && (
          <>
            <dt>{t('user.invitation')}</dt>
            <dd>{t('user.invitationValid', { when: dateTime(invitationExpiresAt) })}</dd>
          </>
        )}
        <dt>{t('user.lastLogin')}</dt>
        <dd>{user.lastLoginAt === null ? t('never') : dateTime(user.lastLoginAt)}</dd>
      </dl>
      {children}
    </Panel>
  )
}

/** One user: who they are, their 2FA and backup-code slots, lock state, what was done, and actions. */
export function UserPage({ actor, userId }: { actor: SessionUser; userId: number }) {
  const { t } = useTranslation('users')
  const navigate = useNavigate()
  const query = useUser(userId)
  const detail = query.data
  // Until the page's answer is here, what the Users list already knows of this person.
  const summary = useCachedUserSummary(userId)
  // Only owners manage owners: an admin sees an owner's page but no buttons main would refuse.
  const canManage = isManager(actor) && !(detail?.user.role === 'owner' && actor.role !== 'owner')

  return (
    <div className="page">
      <div>
        <Button variant="ghost" className="link-button" onClick={() => navigate({ page: 'users' })}>
          {t('user.back')}
        </Button>
      </div>
      {query.isPending && summary && (
        <>
          <h1>{summary.name}</h1>
          <AccountPanel user={summary} invitationExpiresAt={null} />
        </>
      )}
      {query.isPending && <p className="muted">{t('loading')}</p>}
      {query.isError && <Alert>{messageOf(query.error)}</Alert>}
      {detail && (
        <>
          <h1>{detail.user.name}</h1>
          <AccountPanel user={detail.user} invitationExpiresAt={detail.invitationExpiresAt}>
            {canManage && <UserActions actor={actor} detail={detail} />}
          </AccountPanel>
          <RiskPanel user={detail.user} />
          <TwoFactorPanel detail={detail} />
          <LockPanel detail={detail} canUnlock={canManage} />
          <RecoveryHistoryPanel detail={detail} />
          <Panel title={t('user.recentEvents')}>
            <EventList events={detail.recentEvents} label={t('user.eventsLabel')} />
          </Panel>
          {canManage && <DangerZone actor={actor} detail={detail} />}
        </>
      )}
    </div>
  )
}
