import type { RecoveryRequestDetailDto } from '../../../../shared/dto'
import { messageOf } from '../../api'
import { roleLabel } from '../../session/roles'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { EventList } from '../../ui/EventList'
import { Panel } from '../../ui/Layout'
import { useNavigate } from '../shell/navigation'
import { dateTime } from '../users/format'
import { IdentityChecks, RecoveryNotes } from './IdentityChecks'
import { useRecoveryRequest } from './queries'
import { RecoveryDecision } from './RecoveryDecision'
import { RecoveryStatusBadge } from './RecoveryStatusBadge'

function PersonPanel({ detail }: { detail: RecoveryRequestDetailDto }) {
  const navigate = useNavigate()
  const u = detail.user
  return (
    <Panel
      title="Person"
      actions={
        <Button variant="secondary" onClick={() => navigate({ page: 'user', userId: u.id })}>
          Open user page
        </Button>
      }
    >
      <dl className="facts">
        <dt>Name</dt>
        <dd>{u.name}</dd>
        <dt>Email</dt>
        <dd>{u.email}</dd>
        <dt>Role</dt>
        <dd>{roleLabel[u.role]}</dd>
        <dt>2FA</dt>
        <dd>
          {detail.twoFactor.enrolled
            ? `Enrolled · ${detail.twoFactor.backupCodesRemaining} backup codes left`
            : 'Not enrolled'}
        </dd>
        <dt>Emergency phone</dt>
        <dd className={detail.phone ? 'mono' : 'muted'}>{detail.phone ?? 'None verified'}</dd>
        <dt>Filed</dt>
        <dd>{dateTime(detail.createdAt)}</dd>
        <dt>Expires</dt>
        <dd>{dateTime(detail.expiresAt)}</dd>
      </dl>
    </Panel>
  )
}

const purposeLabel: Record<RecoveryRequestDetailDto['purpose'], string> = {
  '2fa': 'Two-factor authentication: a temporary access code, then a new authenticator',
  password: 'Password: a password reset code (two-factor authentication stays as it is)',
  both: 'Password and two-factor authentication',
}

function RequestPanel({ detail }: { detail: RecoveryRequestDetailDto }) {
  return (
    <Panel title="Their request">
      <dl className="facts">
        <dt>To reset</dt>
        <dd>{purposeLabel[detail.purpose]}</dd>
        <dt>What happened</dt>
        <dd className="prewrap">{detail.message}</dd>
        <dt>How to reach them</dt>
        <dd className="prewrap">{detail.contact}</dd>
      </dl>
      <p className="muted small recovery-warning">
        Do not rely on the contact they gave alone: call back on a number from the company directory.
      </p>
    </Panel>
  )
}

/** One recovery request: who asks, what they said, the identity checks, notes, the decision and history. */
export function RecoveryRequestPage({ requestId }: { requestId: number }) {
  const navigate = useNavigate()
  const query = useRecoveryRequest(requestId)
  const detail = query.data

  return (
    <div className="page">
      <div>
        <Button variant="ghost" className="link-button" onClick={() => navigate({ page: 'recovery' })}>
          ← Recovery
        </Button>
      </div>
      {query.isPending && <p className="muted">Loading…</p>}
      {query.isError && <Alert>{messageOf(query.error)}</Alert>}
      {detail && (
        <>
          <div className="page-title page-title-start">
            <h1>
              Request #{detail.id}: {detail.user.name}
            </h1>
            <RecoveryStatusBadge status={detail.status} />
          </div>
          <PersonPanel detail={detail} />
          <RequestPanel detail={detail} />
          <IdentityChecks detail={detail} />
          <RecoveryNotes detail={detail} />
          <RecoveryDecision detail={detail} />
          <Panel title="History">
            <EventList events={detail.events} label="Events about this request" />
          </Panel>
        </>
      )}
    </div>
  )
}
