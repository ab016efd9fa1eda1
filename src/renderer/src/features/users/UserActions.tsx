import { useState } from 'react'
import type { InvitationDto, PasswordAdminResetDto, SessionUser, UserDetailDto } from '../../../../shared/dto'
import {
  isDualControlled,
  roleLabel,
  roleRank,
  whyNotActOn,
  type PersonAction,
} from '../../../../shared/access'
import { roles, type Role } from '../../../../shared/schemas'
import { Button } from '../../ui/Button'
import { ConfirmDialog } from '../../ui/ConfirmDialog'
import { Dialog } from '../../ui/Dialog'
import { Select } from '../../ui/Select'
import { useNavigate } from '../shell/navigation'
import { InvitationCode, invitationTitle } from './InvitationCode'
import { PasswordResetResult } from './PasswordResetResult'
import {
  useAdminResetPassword,
  useDeleteUser,
  useResendInvitation,
  useResetTwoFactor,
  useUserAction,
} from './queries'

type Action = 'require' | 'reset' | 'reset-password' | 'disable' | 'role' | 'delete' | 'resend'

/**
 * A manager's actions on one user, each behind a confirmation that says what will happen. Only the
 * actions the shared rules allow this actor on this person are offered (main checks them again).
 */
export function UserActions({ actor, detail }: { actor: SessionUser; detail: UserDetailDto }) {
  const navigate = useNavigate()
  const u = detail.user
  const [open, setOpen] = useState<Action | null>(null)
  const [role, setRole] = useState<Role>(u.role)
  const [invitation, setInvitation] = useState<InvitationDto | null>(null)
  const [pendingRequest, setPendingRequest] = useState<number | null>(null)
  // A reset code shown once lives here only: Done (or leaving the page) drops it for good.
  const [passwordReset, setPasswordReset] = useState<PasswordAdminResetDto | null>(null)
  const require = useUserAction('users.setRequireTwoFactor')
  const reset = useResetTwoFactor()
  const resetPassword = useAdminResetPassword()
  const disable = useUserAction('users.setDisabled')
  const changeRole = useUserAction('users.changeRole')
  const remove = useDeleteUser()
  const resend = useResendInvitation()
  const close = (): void => setOpen(null)
  const userId = u.id
  const self = u.id === actor.id
  const may = (action: PersonAction) => whyNotActOn(actor, u, action) === null
  const twoApprovers = isDualControlled(u.role)

  const button = (action: Action, label: string, danger = false) => (
    <Button
      variant="secondary"
      className={danger ? 'btn-danger-outline' : undefined}
      onClick={() => {
        setRole(u.role)
        setOpen(action)
      }}
    >
      {label}
    </Button>
  )

  return (
    <div className="actions" role="group" aria-label="Actions">
      {u.status === 'invited' && may('reinvite') && button('resend', 'Resend invitation')}
      {may('require-2fa') &&
        button('require', detail.requireTwoFactor ? 'Stop requiring 2FA' : 'Require 2FA')}
      {detail.twoFactor.enrolled && may('reset-2fa') && button('reset', 'Reset 2FA')}
      {u.status === 'active' && !self && may('reset-password') && button('reset-password', 'Reset password')}
      {u.status === 'active' && !self && may('disable') && button('disable', 'Disable')}
      {u.status === 'disabled' && may('enable') && button('disable', 'Enable')}
      {may('change-role') && button('role', 'Change role')}
      {!self && may('delete') && button('delete', 'Delete', true)}

      {open === 'require' && (
        <ConfirmDialog
          title={detail.requireTwoFactor ? `Stop requiring 2FA for ${u.name}?` : `Require 2FA for ${u.name}?`}
          confirmLabel={detail.requireTwoFactor ? 'Stop requiring 2FA' : 'Require 2FA'}
          onConfirm={() => require.mutateAsync({ userId, required: !detail.requireTwoFactor }).then(close)}
          onClose={close}
        >
          <p>
            {detail.requireTwoFactor
              ? 'They may turn two-factor authentication off themselves.'
              : 'Without 2FA they are reminded during the grace period, then led into enrollment at sign-in.'}
          </p>
        </ConfirmDialog>
      )}
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
              {u.name} is {u.role === 'owner' ? 'an owner' : 'an administrator'}: one person cannot remove
              their second factor. This files a recovery request about them. After identity checks, two
              approvers of their rank — independent of each other — must approve it, then a cooling-off period
              runs and they receive a temporary access code to set up a new authenticator.
            </p>
          ) : (
            <p>
              Their authenticator app and all backup codes stop working. They set up 2FA again at their next
              sign-in, on any computer.
            </p>
          )}
        </ConfirmDialog>
      )}
      {open === 'reset-password' && (
        <ConfirmDialog
          title={`Reset the password of ${u.name}?`}
          confirmLabel="Reset password"
          danger
          onConfirm={async () => {
            const result = await resetPassword.mutateAsync(userId)
            close()
            setPasswordReset(result)
          }}
          onClose={close}
        >
          {twoApprovers ? (
            <p>
              {u.name} is {u.role === 'owner' ? 'an owner' : 'an administrator'}: one person cannot reset
              their password. This files a recovery request about them. After identity checks, two approvers
              of their rank must approve it; then a password reset code is issued to them.
            </p>
          ) : (
            <p>
              A one-time reset code, valid for 30 minutes, goes to {u.email} by email — or, where this Tessera
              sends no email, is shown to you once to give them.
            </p>
          )}
          <p>
            Their current password keeps working until the code is used; their two-factor authentication stays
            as it is.
          </p>
        </ConfirmDialog>
      )}
      {passwordReset && (
        <PasswordResetResult name={u.name} result={passwordReset} onDone={() => setPasswordReset(null)} />
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
          title={u.status === 'disabled' ? `Enable ${u.name}?` : `Disable ${u.name}?`}
          confirmLabel={u.status === 'disabled' ? 'Enable' : 'Disable'}
          danger={u.status !== 'disabled'}
          onConfirm={() => disable.mutateAsync({ userId, disabled: u.status !== 'disabled' }).then(close)}
          onClose={close}
        >
          <p>
            {u.status === 'disabled'
              ? 'They can sign in again.'
              : 'They cannot sign in until an administrator enables the account again.'}
          </p>
        </ConfirmDialog>
      )}
      {open === 'role' && (
        <ConfirmDialog
          title={`Change the role of ${u.name}?`}
          confirmLabel="Change role"
          onConfirm={() => changeRole.mutateAsync({ userId, role }).then(close)}
          onClose={close}
        >
          <Select label="New role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {roles
              .filter((r) => roleRank[r] <= roleRank[actor.role] && (r !== 'owner' || actor.role === 'owner'))
              .map((r) => (
                <option key={r} value={r}>
                  {roleLabel[r]}
                </option>
              ))}
          </Select>
        </ConfirmDialog>
      )}
      {open === 'delete' && (
        <ConfirmDialog
          title={`Delete ${u.name}?`}
          confirmLabel="Delete user"
          danger
          onConfirm={async () => {
            await remove.mutateAsync(userId)
            navigate({ page: 'users' })
          }}
          onClose={close}
        >
          <p>The account of {u.email} is removed and can no longer sign in. Its audit history stays.</p>
        </ConfirmDialog>
      )}
      {open === 'resend' && (
        <ConfirmDialog
          title={`Send ${u.name} a new invitation?`}
          confirmLabel="Create new code"
          onConfirm={async () => {
            setInvitation(await resend.mutateAsync(userId))
            close()
          }}
          onClose={close}
        >
          <p>
            A new invitation code replaces the old one, which stops working. Where Settings → Email has an
            SMTP server, it goes to {u.email} by email.
          </p>
        </ConfirmDialog>
      )}
      {invitation && (
        <Dialog title={invitationTitle(invitation)} onClose={() => setInvitation(null)}>
          <InvitationCode invitation={invitation} onDone={() => setInvitation(null)} />
        </Dialog>
      )}
    </div>
  )
}
