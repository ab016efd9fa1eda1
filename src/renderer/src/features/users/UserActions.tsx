import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { InvitationDto, PasswordAdminResetDto, SessionUser, UserDetailDto } from '../../../../shared/dto'
import { isDualControlled, roleRank, whyNotActOn, type PersonAction } from '../../../../shared/access'
import { roles, type Role } from '../../../../shared/schemas'
import { Button } from '../../ui/Button'
import { ConfirmDialog } from '../../ui/ConfirmDialog'
import { Dialog } from '../../ui/Dialog'
import { Select } from '../../ui/Select'
import { roleLabel } from './format'
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
  const { t } = useTranslation('users')
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
    <div className="actions" role="group" aria-label={t('actions.label')}>
      {u.status === 'invited' && may('reinvite') && button('resend', t('actions.resend'))}
      {may('require-2fa') &&
        button('require', detail.requireTwoFactor ? t('actions.stopRequiring') : t('actions.require'))}
      {u.status === 'active' &&
        !self &&
        may('reset-password') &&
        button('reset-password', t('actions.resetPassword'))}
      {u.status === 'disabled' && may('enable') && button('enable', t('actions.enable'))}
      {may('change-role') && button('role', t('actions.changeRole'))}

      {open === 'require' && (
        <ConfirmDialog
          title={
            detail.requireTwoFactor
              ? t('actions.stopRequiringTitle', { name: u.name })
              : t('actions.requireTitle', { name: u.name })
          }
          confirmLabel={detail.requireTwoFactor ? t('actions.stopRequiring') : t('actions.require')}
          onConfirm={() => require.mutateAsync({ userId, required: !detail.requireTwoFactor }).then(close)}
          onClose={close}
        >
          <p>{detail.requireTwoFactor ? t('actions.stopRequiringBody') : t('actions.requireBody')}</p>
        </ConfirmDialog>
      )}
      {open === 'reset-password' && (
        <ConfirmDialog
          title={t('actions.resetTitle', { name: u.name })}
          confirmLabel={t('actions.resetPassword')}
          danger
          onConfirm={async () => {
            const result = await resetPassword.mutateAsync(userId)
            close()
            setPasswordReset(result)
          }}
          onClose={close}
        >
          <p>
            {twoApprovers
              ? t(u.role === 'owner' ? 'actions.resetOwner' : 'actions.resetAdmin', { name: u.name })
              : t('actions.resetCode', { email: u.email })}
          </p>
          <p>{t('actions.resetKeeps')}</p>
        </ConfirmDialog>
      )}
      {passwordReset && (
        <PasswordResetResult name={u.name} result={passwordReset} onDone={() => setPasswordReset(null)} />
      )}
      {open === 'enable' && (
        <ConfirmDialog
          title={t('actions.enableTitle', { name: u.name })}
          confirmLabel={t('actions.enable')}
          onConfirm={() => enable.mutateAsync({ userId, disabled: false }).then(close)}
          onClose={close}
        >
          <p>{t('actions.enableBody')}</p>
        </ConfirmDialog>
      )}
      {open === 'role' && (
        <ConfirmDialog
          title={t('actions.roleTitle', { name: u.name })}
          confirmLabel={t('actions.changeRole')}
          onConfirm={() => changeRole.mutateAsync({ userId, role }).then(close)}
          onClose={close}
        >
          <Select label={t('actions.newRole')} value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {roles
              .filter((r) => roleRank[r] <= roleRank[actor.role] && (r !== 'owner' || actor.role === 'owner'))
              .map((r) => (
                <option key={r} value={r}>
                  {roleLabel(t, r)}
                </option>
              ))}
          </Select>
        </ConfirmDialog>
      )}
      {open === 'resend' && (
        <ConfirmDialog
          title={t('actions.resendTitle', { name: u.name })}
          confirmLabel={t('actions.resendConfirm')}
          onConfirm={async () => {
            setInvitation(await resend.mutateAsync(userId))
            close()
          }}
          onClose={close}
        >
          <p>{t('actions.resendBody', { email: u.email })}</p>
        </ConfirmDialog>
      )}
      {invitation && (
        <Dialog
          title={invitationTitle(t, invitation)}
          onClose={invitationEscape(invitation, () => setInvitation(null))}
        >
          <InvitationCode invitation={invitation} onDone={() => setInvitation(null)} />
        </Dialog>
      )}
    </div>
  )
}
