import { useState } from 'react'
import type { SessionUser, UserDetailDto } from '../../../../shared/dto'
import { messageOf } from '../../api'
import { isManager, roleLabel } from '../../session/roles'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { ConfirmDialog } from '../../ui/ConfirmDialog'
import { EventList } from '../../ui/EventList'
import { Panel } from '../../ui/Layout'
import { useNavigate } from '../shell/navigation'
import { dateOnly, dateTime, isLocked, lockLabel, statusLabel } from './format'
import { useUser, useUserAction } from './queries'
import { DangerZone } from './DangerZone'
import { UserActions } from './UserActions'
import { RiskPanel } from './risk'
import { BackupSlotList } from '../two-factor/BackupSlotList'
import { RecoveryStatusBadge } from '../recovery/RecoveryStatusBadge'

function TwoFactorPanel({ detail }: { detail: UserDetailDto }) {
  const s = detail.twoFactor
  return (
    <Panel title="Two-factor authentication">
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          {s.enrolled && s.enrolledAt !== null ? (
            <strong className="status-on">Enrolled on {dateOnly(s.enrolledAt)}</strong>
          ) : (
            <strong>
              {detail.mustEnroll
                ? 'Must set up a new authenticator (the old one was revoked)'
                : detail.requireTwoFactor
                  ? 'Required, not enrolled'
                  : 'Off'}
            </strong>
          )}
          {s.enrolled && detail.requireTwoFactor && <span className="muted"> · required</span>}
        </dd>
        <dt>Emergency phone</dt>
        <dd>
          {detail.phone ? (
            <>
              <span className="mono">{detail.phone.masked}</span>
              <span className="muted"> · verified {dateOnly(detail.phone.verifiedAt)}</span>
            </>
          ) : (
            'None'
          )}
        </dd>
        {s.enrolled && (
          <>
            <dt>Backup codes</dt>
            <dd>
              {s.backupCodesRemaining}/{s.backupCodesTotal} left
            </dd>
          </>
        )}
      </dl>
      {s.enrolled && <BackupSlotList slots={s.slots} />}
    </Panel>
  )
}

function RecoveryHistoryPanel({ detail }: { detail: UserDetailDto }) {
  const navigate = useNavigate()
  return (
    <Panel title="Recovery history">
      {detail.recoveryRequests.length === 0 ? (
        <p className="muted">No recovery requests.</p>
      ) : (
        <ul className="plain-list">
          {detail.recoveryRequests.map((r) => (
            <li key={r.id}>
              <Button
                variant="ghost"
                className="link-button"
                onClick={() => navigate({ page: 'recovery-request', requestId: r.id })}
              >
                Request #{r.id}
              </Button>{' '}
              <RecoveryStatusBadge status={r.status} />{' '}
              <span className="muted">
                filed {dateTime(r.createdAt)}, last change {dateTime(r.updatedAt)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  )
}

function LockPanel({ detail, canUnlock }: { detail: UserDetailDto; canUnlock: boolean }) {
  const unlock = useUserAction('users.unlock')
  const [confirming, setConfirming] = useState(false)
  const u = detail.user
  const locked = isLocked(u)
  return (
    <Panel
      title="Sign-in lock"
      actions={
        locked && canUnlock ? (
          <Button variant="secondary" onClick={() => setConfirming(true)}>
            Unlock
          </Button>
        ) : null
      }
    >
      <p className={locked ? 'text-danger' : 'muted'}>
        {locked ? lockLabel(u) : 'Not locked.'}
        {u.lockedForever && ' Only an administrator can unlock it.'}
      </p>
      {confirming && (
        <ConfirmDialog
          title={`Unlock ${u.name}?`}
          confirmLabel="Unlock"
          onConfirm={() => unlock.mutateAsync({ userId: u.id }).then(() => setConfirming(false))}
          onClose={() => setConfirming(false)}
        >
          <p>Their failed attempts are forgotten and they can sign in again at once.</p>
        </ConfirmDialog>
      )}
    </Panel>
  )
}

/** One user: who they are, their 2FA and backup-code slots, lock state, what was done, and actions. */
export function UserPage({ actor, userId }: { actor: SessionUser; userId: number }) {
  const navigate = useNavigate()
  const query = useUser(userId)
  const detail = query.data
  // Only owners manage owners: an admin sees an owner's page but no buttons main would refuse.
  const canManage = isManager(actor) && !(detail?.user.role === 'owner' && actor.role !== 'owner')

  return (
    <div className="page">
      <div>
        <Button variant="ghost" className="link-button" onClick={() => navigate({ page: 'users' })}>
          ← Users
        </Button>
      </div>
      {query.isPending && <p className="muted">Loading…</p>}
      {query.isError && <Alert>{messageOf(query.error)}</Alert>}
      {detail && (
        <>
          <h1>{detail.user.name}</h1>
          <Panel title="Account">
            <dl className="facts">
              <dt>Email</dt>
              <dd>{detail.user.email}</dd>
              <dt>Role</dt>
              <dd>{roleLabel[detail.user.role]}</dd>
              <dt>Status</dt>
              <dd>{statusLabel[detail.user.status]}</dd>
              {detail.invitationExpiresAt !== null && (
                <>
                  <dt>Invitation</dt>
                  <dd>valid until {dateTime(detail.invitationExpiresAt)}</dd>
                </>
              )}
              <dt>Last login</dt>
              <dd>{detail.user.lastLoginAt === null ? 'Never' : dateTime(detail.user.lastLoginAt)}</dd>
            </dl>
            {canManage && <UserActions actor={actor} detail={detail} />}
          </Panel>
          <RiskPanel user={detail.user} />
          <TwoFactorPanel detail={detail} />
          <LockPanel detail={detail} canUnlock={canManage} />
          <RecoveryHistoryPanel detail={detail} />
          <Panel title="Recent events">
            <EventList events={detail.recentEvents} label="Events about this user" />
          </Panel>
          {canManage && <DangerZone actor={actor} detail={detail} />}
        </>
      )}
    </div>
  )
}
