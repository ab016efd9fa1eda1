import { zodResolver } from '@hookform/resolvers/zod'
import { useId, useState } from 'react'
import { useForm } from 'react-hook-form'
import type { AccessCodeIssuedDto, RecoveryCodeDto, RecoveryRequestDetailDto } from '../../../../shared/dto'
import { liveRecoveryStatuses, recoveryDenyInputSchema } from '../../../../shared/schemas'
import { applyServerError } from '../../forms'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { ConfirmDialog } from '../../ui/ConfirmDialog'
import { Dialog } from '../../ui/Dialog'
import { Panel } from '../../ui/Layout'
import { TextArea } from '../../ui/TextArea'
import { dateTime } from '../users/format'
import { AccessCodeShown } from './AccessCodeShown'
import { agentName } from './format'
import { useIssueAccessCode, useRecoveryAction } from './queries'

const denySchema = recoveryDenyInputSchema.pick({ reason: true })

/** A button main would refuse, shown disabled with main's reason next to it. */
function GuardedButton({
  label,
  allowed,
  reason,
  onClick,
}: {
  label: string
  allowed: boolean
  reason: string | null
  onClick: () => void
}) {
  const reasonId = useId()
  return (
    <div className="guarded-action">
      <Button
        disabled={!allowed}
        aria-describedby={!allowed && reason ? reasonId : undefined}
        onClick={onClick}
      >
        {label}
      </Button>
      {!allowed && reason && (
        <p id={reasonId} className="muted small">
          {reason}
        </p>
      )}
    </div>
  )
}

function DenyDialog({ detail, onClose }: { detail: RecoveryRequestDetailDto; onClose: () => void }) {
  const deny = useRecoveryAction('recovery.deny')
  const [alert, setAlert] = useState<string | null>(null)
  const { register, handleSubmit, formState, setError } = useForm<{ reason: string }>({
    resolver: zodResolver(denySchema),
    defaultValues: { reason: '' },
  })
  const onSubmit = handleSubmit(async ({ reason }) => {
    setAlert(null)
    try {
      await deny.mutateAsync({ requestId: detail.id, reason })
      onClose()
    } catch (e) {
      setAlert(applyServerError(e, setError, ['reason']))
    }
  })
  return (
    <Dialog title={`Deny request #${detail.id}?`} onClose={onClose}>
      <form onSubmit={onSubmit} noValidate className="form">
        <p>
          The request is closed and any temporary access code issued for it stops working. {detail.user.name}{' '}
          may ask again.
        </p>
        <Alert>{alert}</Alert>
        <TextArea
          label="Reason"
          hint="Other agents and the audit trail see it."
          rows={3}
          {...register('reason')}
          error={formState.errors.reason?.message}
        />
        <div className="form-actions">
          <Button type="submit" className="btn-danger" busy={formState.isSubmitting}>
            Deny request
          </Button>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
        </div>
      </form>
    </Dialog>
  )
}

function ApproveDialog({ detail, onClose }: { detail: RecoveryRequestDetailDto; onClose: () => void }) {
  const approve = useRecoveryAction('recovery.approve')
  const [note, setNote] = useState('')
  const last = detail.approvals + 1 >= detail.approvalsRequired
  const minutes = detail.coolingOffMinutes
  const when = minutes === 0 ? 'right away' : `after a cooling-off period of ${minutes} minutes`
  return (
    <ConfirmDialog
      title={`Approve request #${detail.id}?`}
      confirmLabel="Approve"
      onConfirm={() =>
        approve.mutateAsync({ requestId: detail.id, ...(note.trim() ? { note } : {}) }).then(onClose)
      }
      onClose={onClose}
    >
      <p>
        You confirm that the person asking is {detail.user.name} ({detail.user.email}).{' '}
        {last
          ? `A ${detail.purpose === 'password' ? 'password reset code' : 'temporary access code'} can then be issued ${when}.`
          : `This is approval ${detail.approvals + 1} of ${detail.approvalsRequired}: another agent must approve too.`}
      </p>
      <TextArea label="Note (optional)" rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
    </ConfirmDialog>
  )
}

function IssueDialog({
  detail,
  onIssued,
  onClose,
}: {
  detail: RecoveryRequestDetailDto
  onIssued: (issued: AccessCodeIssuedDto) => void
  onClose: () => void
}) {
  const issue = useIssueAccessCode()
  const replaces = detail.codes.some((c) => c.usedAt === null && c.revokedAt === null)
  if (detail.purpose === 'password') {
    return (
      <ConfirmDialog
        title={`Issue a password reset code for ${detail.user.name}?`}
        confirmLabel="Issue reset code"
        onConfirm={async () => {
          onIssued(await issue.mutateAsync(detail.id))
          onClose()
        }}
        onClose={onClose}
      >
        <p>
          It goes by email to {detail.user.email} when Settings → Email has an SMTP server (you will not see
          it); otherwise it is shown to you once, to read to them on the channel you verified. It works once,
          for 30 minutes. Their two-factor authentication stays as it is, and the request is then complete.
        </p>
      </ConfirmDialog>
    )
  }
  return (
    <ConfirmDialog
      title={`Issue a temporary access code for ${detail.user.name}?`}
      confirmLabel="Issue code"
      onConfirm={async () => {
        onIssued(await issue.mutateAsync(detail.id))
        onClose()
      }}
      onClose={onClose}
    >
      <p>
        {detail.phone === null
          ? 'They have no verified emergency phone: the code is shown to you once, to read to them on the channel you verified.'
          : `It goes by SMS to ${detail.phone}; you will not see it.`}{' '}
        It works once, for 24 hours, and makes them set up a new authenticator.
      </p>
      {replaces && <p>The code issued earlier stops working.</p>}
    </ConfirmDialog>
  )
}

function codeState(c: RecoveryCodeDto): string {
  if (c.usedAt !== null) return `used ${dateTime(c.usedAt)}`
  if (c.revokedAt !== null) return `revoked ${dateTime(c.revokedAt)}`
  return `valid until ${dateTime(c.expiresAt)}`
}

/** Where the request stands, in a sentence. */
function Outcome({ detail }: { detail: RecoveryRequestDetailDto }) {
  switch (detail.status) {
    case 'approved':
      return (
        <p>
          Approved.{' '}
          {detail.effectiveAt !== null &&
            `A ${detail.purpose === 'password' ? 'password reset code' : 'temporary access code'} can be issued from ${dateTime(detail.effectiveAt)}.`}
        </p>
      )
    case 'denied':
      return (
        <p>
          Denied by {agentName(detail.decidedBy)}: <span className="prewrap">{detail.deniedReason}</span>
        </p>
      )
    case 'completed':
      return detail.purpose === 'password' ? (
        <p className="status-on">
          Completed {detail.completedAt !== null && dateTime(detail.completedAt)}: a password reset code was
          issued to the person.
        </p>
      ) : (
        <p className="status-on">
          Completed {detail.completedAt !== null && dateTime(detail.completedAt)}: the person signed in with
          the code and was led to set up a new authenticator.
        </p>
      )
    case 'expired':
      return <p>Expired {dateTime(detail.expiresAt)} without being completed.</p>
    default:
      return <p className="muted">Waiting for identity checks and approval.</p>
  }
}

type Open = 'approve' | 'deny' | 'issue' | null

/** Approvals, the outcome, access codes, and the agent's decisions (each behind a confirmation). */
export function RecoveryDecision({ detail }: { detail: RecoveryRequestDetailDto }) {
  const [open, setOpen] = useState<Open>(null)
  // The issued code lives here only: leaving the page unmounts it and nothing else keeps it.
  const [issued, setIssued] = useState<AccessCodeIssuedDto | null>(null)
  const live = (liveRecoveryStatuses as readonly string[]).includes(detail.status)
  const deciding = detail.status === 'open' || detail.status === 'verifying'
  const close = (): void => setOpen(null)
  const a = detail.actions

  return (
    <Panel title="Decision">
      <Outcome detail={detail} />
      <dl className="facts">
        <dt>Approvals</dt>
        <dd>
          {detail.approvals} of {detail.approvalsRequired}
          {detail.approvalsRequired > 1 && (
            <span className="muted"> · admin and owner accounts need two agents</span>
          )}
        </dd>
      </dl>
      {detail.approvalsBy.length > 0 && (
        <ul className="recorded-list" aria-label="Approvals">
          {detail.approvalsBy.map((ap, i) => (
            <li key={i}>
              Approved by {agentName(ap.by)}, {dateTime(ap.at)}
            </li>
          ))}
        </ul>
      )}
      {detail.codes.length > 0 && (
        <ul className="recorded-list" aria-label="Temporary access codes">
          {detail.codes.map((c, i) => (
            <li key={i}>
              Code issued by {agentName(c.issuedBy)}, {dateTime(c.issuedAt)},{' '}
              {c.delivery === 'sms' ? 'sent by SMS' : 'read out by the agent'}; {codeState(c)}
            </li>
          ))}
        </ul>
      )}
      {issued && <AccessCodeShown issued={issued} purpose={detail.purpose} onHide={() => setIssued(null)} />}
      {live && (
        <div className="actions" role="group" aria-label="Decide">
          {deciding && (
            <GuardedButton
              label="Approve"
              allowed={a.approve.allowed}
              reason={a.approve.reason}
              onClick={() => setOpen('approve')}
            />
          )}
          <GuardedButton
            label={
              detail.purpose === 'password' ? 'Issue password reset code' : 'Issue temporary access code'
            }
            allowed={a.issueCode.allowed}
            reason={a.issueCode.reason}
            onClick={() => setOpen('issue')}
          />
          {a.deny && (
            <div className="guarded-action">
              <Button variant="secondary" className="btn-danger-outline" onClick={() => setOpen('deny')}>
                Deny
              </Button>
            </div>
          )}
        </div>
      )}
      {open === 'approve' && <ApproveDialog detail={detail} onClose={close} />}
      {open === 'deny' && <DenyDialog detail={detail} onClose={close} />}
      {open === 'issue' && <IssueDialog detail={detail} onIssued={setIssued} onClose={close} />}
    </Panel>
  )
}
