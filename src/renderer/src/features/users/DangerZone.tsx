import { useState, type ReactNode } from 'react'
import type { SessionUser, UserDetailDto } from '../../../../shared/dto'
import { isDualControlled, whyNotActOn, type PersonAction } from '../../../../shared/access'
import { Button } from '../../ui/Button'
import { ConfirmDialog } from '../../ui/ConfirmDialog'
import { Dialog } from '../../ui/Dialog'
import { Field } from '../../ui/Field'
import { useNavigate } from '../shell/navigation'
import { useDeleteUser, useResetTwoFactor, useUserAction } from './queries'
import styles from './DangerZone.module.css'

type Destructive = 'reset' | 'disable' | 'delete'

/**
 * What cannot be taken back in one click, apart from the everyday actions: reset 2FA, disable, delete.
 * Each is confirmed with focus on Cancel; deleting asks for the person's email, typed exactly. Only what
 * the shared rules allow this actor on this person is offered (main checks them again).
 */
export function DangerZone({ actor, detail }: { actor: SessionUser; detail: UserDetailDto }) {
  const navigate = useNavigate()
  const u = detail.user
  const [open, setOpen] = useState<Destructive | null>(null)
  const [pendingRequest, setPendingRequest] = useState<number | null>(null)
  const [typedEmail, setTypedEmail] = useState('')
  const reset = useResetTwoFactor()
  const disable = useUserAction('users.setDisabled')
  const remove = useDeleteUser()
  const close = (): void => setOpen(null)
  const userId = u.id
  const self = u.id === actor.id
  const may = (action: PersonAction) => whyNotActOn(actor, u, action) === null
  const twoApprovers = isDualControlled(u.role)
  const rank = u.role === 'owner' ? 'an owner' : 'an administrator'

  const rows: { action: Destructive; title: string; label: string; says: ReactNode }[] = []
  if (detail.twoFactor.enrolled && may('reset-2fa'))
    rows.push({
      action: 'reset',
      title: 'Reset two-factor authentication',
      label: 'Reset 2FA',
      says: twoApprovers
        ? 'Files a recovery request: two approvers of their rank must approve it first.'
        : 'Their authenticator app and backup codes stop working; they set up 2FA again at next sign-in.',
    })
  if (u.status === 'active' && !self && may('disable'))
    rows.push({
      action: 'disable',
      title: 'Disable the account',
      label: 'Disable',
      says: 'They cannot sign in until an administrator enables the account again.',
    })
  if (!self && may('delete'))
    rows.push({
      action: 'delete',
      title: 'Delete the account',
      label: 'Delete',
      says: 'The account is removed for good and can no longer sign in. Its audit history stays.',
    })

  if (rows.length === 0 && pendingRequest === null) return null
  return (
    <section className={`panel ${styles.zone}`} aria-label="Danger zone">
      <div className="panel-header">
        <h2>Danger zone</h2>
      </div>
      <ul className={styles.rows}>
        {rows.map((r) => (
          <li key={r.action} className={styles.row}>
            <div>
              <h3>{r.title}</h3>
              <p className="muted">{r.says}</p>
            </div>
            <Button
              variant="secondary"
              className="btn-danger-outline"
              onClick={() => {
                setTypedEmail('')
                setOpen(r.action)
              }}
            >
              {r.label}
            </Button>
          </li>
        ))}
      </ul>

      {open === 'reset' && (
        <ConfirmDialog
          title={`Reset 2FA for ${u.name}?`}
          confirmLabel="Reset 2FA"
          danger
          onConfirm={async () => {
            const result = await reset.mutateAsync(userId)
            close()
            setPendingRequest(result.pendingRequestId)
          }}
          onClose={close}
        >
          {twoApprovers ? (
            <p>
              {u.name} is {rank}: one person cannot remove their second factor. This files a recovery request
              about them. After identity checks, two approvers of their rank — independent of each other —
              must approve it, then a cooling-off period runs and they receive a temporary access code to set
              up a new authenticator.
            </p>
          ) : (
            <p>
              Their authenticator app and all backup codes stop working. They set up 2FA again at their next
              sign-in, on any computer.
            </p>
          )}
        </ConfirmDialog>
      )}
      {pendingRequest !== null && (
        <Dialog title={`Recovery request #${pendingRequest} filed`} onClose={() => setPendingRequest(null)}>
          <p>
            The reset waits for identity checks and two approvers of {u.name}&apos;s rank. Their current
            authenticator keeps working until then.
          </p>
          <div className="form-actions">
            <Button onClick={() => navigate({ page: 'recovery-request', requestId: pendingRequest })}>
              Open the request
            </Button>
            <Button variant="secondary" onClick={() => setPendingRequest(null)}>
              Close
            </Button>
          </div>
        </Dialog>
      )}
      {open === 'disable' && (
        <ConfirmDialog
          title={`Disable ${u.name}?`}
          confirmLabel="Disable"
          danger
          onConfirm={() => disable.mutateAsync({ userId, disabled: true }).then(close)}
          onClose={close}
        >
          <p>They cannot sign in until an administrator enables the account again.</p>
        </ConfirmDialog>
      )}
      {open === 'delete' && (
        <ConfirmDialog
          title={`Delete ${u.name}?`}
          confirmLabel="Delete user"
          danger
          confirmDisabled={typedEmail !== u.email}
          onConfirm={async () => {
            await remove.mutateAsync(userId)
            navigate({ page: 'users' })
          }}
          onClose={close}
        >
          <p>The account of {u.email} is removed and can no longer sign in. Its audit history stays.</p>
          <Field
            label={`Type ${u.email} to confirm`}
            value={typedEmail}
            onChange={(e) => setTypedEmail(e.target.value)}
            autoComplete="off"
            spellCheck={false}
          />
        </ConfirmDialog>
      )}
    </section>
  )
}
