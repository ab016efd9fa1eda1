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
import { InvitationCode, invitationEscape, invitationTitle } from './InvitationCode'
import { PasswordResetResult } from './PasswordResetResult'
import { useAdminResetPassword, useResendInvitation, useUserAction } from './queries'

type Action = 'require' | 'reset-password' | 'enable' | 'role' | 'resend'

/**
 * A manager's everyday actions on one user, each behind a confirmation that says what will happen; the
 * destructive ones are in the page's Danger zone. Only the actions the shared rules allow this actor on
 * this person are offered (main checks them again).
 */
export function UserActions({ actor, detail }: { actor: SessionUser; detail: UserDetailDto }) {
  const u = detail.user
  const [open, setOpen] = useState<Action | null>(null)
  const [role, setRole] = useState<Role>(u.role)
  const [invitation, setInvitation] = useState<InvitationDto | null>(null)
  // A reset code shown once lives here only: Done (or leaving the page) drops it for good.
  const [passwordReset, setPasswordReset] = useState<PasswordAdminResetDto | null>(null)
  const require = useUserAction('users.setRequireTwoFactor')
  const resetPassword = useAdminResetPassword()
  const enable = useUserAction('users.setDisabled')
  const changeRole = useUserAction('users.changeRole')
  const resend = useResendInvitation()
  const close = (): void => setOpen(null)
  const userId = u.id
  const self = u.id === actor.id
  const may = (action: PersonAction) => whyNotActOn(actor, u, action) === null
  const twoApprovers = isDualControlled(u.role)

  const button = (action: Action, label: string) => (
    <Button
      variant="secondary"
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
      {u.status === 'active' && !self && may('reset-password') && button('reset-password', 'Reset password')}
      {u.status === 'disabled' && may('enable') && button('enable', 'Enable')}
      {may('change-role') && button('role', 'Change role')}

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
      {open === 'enable' && (
        <ConfirmDialog
          title={`Enable ${u.name}?`}
          confirmLabel="Enable"
          onConfirm={() => enable.mutateAsync({ userId, disabled: false }).then(close)}
          onClose={close}
        >
          <p>They can sign in again.</p>
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
        <Dialog
          title={invitationTitle(invitation)}
          onClose={invitationEscape(invitation, () => setInvitation(null))}
        >
          <InvitationCode invitation={invitation} onDone={() => setInvitation(null)} />
        </Dialog>
      )}
    </div>
  )
}
