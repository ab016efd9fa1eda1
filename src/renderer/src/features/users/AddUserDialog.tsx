import { zodResolver } from '@hookform/resolvers/zod'
import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import type { InvitationDto, SessionUser } from '../../../../shared/dto'
import { createUserInputSchema, roles, type CreateUserInput } from '../../../../shared/schemas'
import { useServerError } from '../../forms'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { Dialog } from '../../ui/Dialog'
import { Field } from '../../ui/Field'
import { Select } from '../../ui/Select'
import type { Schedule } from '../two-factor/backupCodesOut'
import { roleLabel } from './format'
import { InvitationCode, invitationEscape, invitationTitle } from './InvitationCode'
import { useCreateUser } from './queries'

/** Email, name, role, "require 2FA" (the policy's default) → the invitation code, shown once. */
export function AddUserDialog({
  actor,
  requireByDefault,
  onClose,
  schedule,
}: {
  actor: SessionUser
  requireByDefault: boolean
  onClose: () => void
  schedule?: Schedule
}) {
  const { t } = useTranslation('users')
  const create = useCreateUser()
  const [invitation, setInvitation] = useState<InvitationDto | null>(null)
  const { register, handleSubmit, formState, setError } = useForm<CreateUserInput>({
    resolver: zodResolver(createUserInputSchema),
    defaultValues: { email: '', name: '', role: 'member', requireTwoFactor: requireByDefault },
  })
  const { error, submit } = useServerError(setError, ['email', 'name', 'role'])
  // Only an owner may make an owner; the contract refuses it anyway, so do not offer it.
  const allowed = roles.filter((r) => r !== 'owner' || actor.role === 'owner')

  const onSubmit = handleSubmit(async (values) => {
    await submit(async () => setInvitation(await create.mutateAsync(values)))
  })

  if (invitation) {
    return (
      <Dialog title={invitationTitle(t, invitation)} onClose={invitationEscape(invitation, onClose)}>
        <InvitationCode invitation={invitation} onDone={onClose} {...(schedule ? { schedule } : {})} />
      </Dialog>
    )
  }
  return (
    <Dialog title={t('add.title')} onClose={onClose}>
      <form onSubmit={onSubmit} noValidate className="form">
        <Alert>{error}</Alert>
        <Field
          label={t('add.email')}
          type="email"
          {...register('email')}
          error={formState.errors.email?.message}
        />
        <Field label={t('add.name')} {...register('name')} error={formState.errors.name?.message} />
        <Select label={t('add.role')} {...register('role')}>
          {allowed.map((r) => (
            <option key={r} value={r}>
              {roleLabel(t, r)}
            </option>
          ))}
        </Select>
        <div className="check">
          <input id="add-user-require" type="checkbox" {...register('requireTwoFactor')} />
          <label htmlFor="add-user-require">{t('add.require')}</label>
        </div>
        <div className="form-actions">
          <Button type="submit" busy={formState.isSubmitting}>
            {t('add.submit')}
          </Button>
          <Button variant="secondary" onClick={onClose}>
            {t('cancel')}
          </Button>
        </div>
      </form>
    </Dialog>
  )
}
