import { zodResolver } from '@hookform/resolvers/zod'
import { useState } from 'react'
import { useForm } from 'react-hook-form'
import type { InvitationDto, SessionUser } from '../../../../shared/dto'
import { createUserInputSchema, roles, type CreateUserInput } from '../../../../shared/schemas'
import { applyServerError } from '../../forms'
import { roleLabel } from '../../session/roles'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { Dialog } from '../../ui/Dialog'
import { Field } from '../../ui/Field'
import { Select } from '../../ui/Select'
import type { Schedule } from '../two-factor/backupCodesOut'
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
  const create = useCreateUser()
  const [invitation, setInvitation] = useState<InvitationDto | null>(null)
  const [alert, setAlert] = useState<string | null>(null)
  const { register, handleSubmit, formState, setError } = useForm<CreateUserInput>({
    resolver: zodResolver(createUserInputSchema),
    defaultValues: { email: '', name: '', role: 'member', requireTwoFactor: requireByDefault },
  })
  // Only an owner may make an owner; the contract refuses it anyway, so do not offer it.
  const allowed = roles.filter((r) => r !== 'owner' || actor.role === 'owner')

  const onSubmit = handleSubmit(async (values) => {
    setAlert(null)
    try {
      setInvitation(await create.mutateAsync(values))
    } catch (e) {
      setAlert(applyServerError(e, setError, ['email', 'name', 'role']))
    }
  })

  if (invitation) {
    return (
      <Dialog title={invitationTitle(invitation)} onClose={invitationEscape(invitation, onClose)}>
        <InvitationCode invitation={invitation} onDone={onClose} {...(schedule ? { schedule } : {})} />
      </Dialog>
    )
  }
  return (
    <Dialog title="Add user" onClose={onClose}>
      <form onSubmit={onSubmit} noValidate className="form">
        <Alert>{alert}</Alert>
        <Field label="Email" type="email" {...register('email')} error={formState.errors.email?.message} />
        <Field label="Name" {...register('name')} error={formState.errors.name?.message} />
        <Select label="Role" {...register('role')}>
          {allowed.map((r) => (
            <option key={r} value={r}>
              {roleLabel[r]}
            </option>
          ))}
        </Select>
        <div className="check">
          <input id="add-user-require" type="checkbox" {...register('requireTwoFactor')} />
          <label htmlFor="add-user-require">Require two-factor authentication</label>
        </div>
        <div className="form-actions">
          <Button type="submit" busy={formState.isSubmitting}>
            Add user
          </Button>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
        </div>
      </form>
    </Dialog>
  )
}
