import { zodResolver } from '@hookform/resolvers/zod'
import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { z } from 'zod'
import {
  backupCodeSchema,
  passwordChangeInputSchema,
  totpCodeSchema,
  type PasswordChangeInput,
} from '../../../../shared/schemas'
import { api, messageOf, unwrap } from '../../api'
import { applyServerError, renameFields } from '../../forms'
import { Alert, Notice } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { Dialog } from '../../ui/Dialog'
import { Field } from '../../ui/Field'
import { Panel } from '../../ui/Layout'
import { NewPasswordFields } from '../auth/formParts'
import { AppOrBackupCodeField } from '../two-factor/AppCodeField'
import { useRefreshTwoFactorStatus, useTwoFactorStatus } from '../two-factor/queries'

const shape = passwordChangeInputSchema.shape
type Values = { currentPassword: string; factor: string; newPassword: string; confirmPassword: string }
// The contract's fields; the factor is checked on submit against the schema of the chosen kind (app code
// or backup code), and only when the person has 2FA on.
const formSchema = z
  .object({
    currentPassword: shape.currentPassword,
    factor: z.string(),
    newPassword: shape.newPassword,
    confirmPassword: shape.confirmPassword,
  })
  .refine((v) => v.newPassword === v.confirmPassword, {
    path: ['confirmPassword'],
    message: 'The two new passwords are not the same',
  })

const formFields = ['currentPassword', 'factor', 'newPassword', 'confirmPassword'] as const
/** Main's names for this form's fields where they differ. */
const serverNames = { secondFactor: 'factor' } as const

/** Current password, the second factor when 2FA is on, and the new password twice. */
function ChangePasswordDialog({
  twoFactor,
  onChanged,
  onClose,
}: {
  twoFactor: boolean
  onChanged: () => void
  onClose: () => void
}) {
  const refreshStatus = useRefreshTwoFactorStatus()
  const [backup, setBackup] = useState(false)
  const [alert, setAlert] = useState<string | null>(null)
  const { register, handleSubmit, formState, resetField, setError, clearErrors } = useForm<Values>({
    resolver: zodResolver(formSchema),
    defaultValues: { currentPassword: '', factor: '', newPassword: '', confirmPassword: '' },
  })
  const errors = formState.errors

  const onSubmit = handleSubmit(async ({ currentPassword, factor, newPassword, confirmPassword }) => {
    setAlert(null)
    let secondFactor: PasswordChangeInput['secondFactor']
    if (twoFactor) {
      const checked = (backup ? backupCodeSchema : totpCodeSchema).safeParse(factor)
      if (!checked.success) {
        setError('factor', { message: checked.error.issues[0]?.message ?? 'Enter the code' })
        return
      }
      secondFactor = backup ? { backupCode: checked.data } : { code: checked.data }
    }
    const input: PasswordChangeInput = {
      currentPassword,
      newPassword,
      confirmPassword,
      ...(secondFactor ? { secondFactor } : {}),
    }
    try {
      await unwrap(api().password.change(input))
      onChanged()
    } catch (e) {
      setAlert(applyServerError(renameFields(e, serverNames), setError, formFields))
      resetField('currentPassword', { defaultValue: '', keepError: true })
      resetField('factor', { defaultValue: '', keepError: true })
    } finally {
      // A backup code may have been spent (or a slot counted): the 2FA panel reads afresh.
      if (twoFactor && backup) void refreshStatus()
    }
  })

  const toggle = (): void => {
    setBackup((b) => !b)
    clearErrors('factor')
    resetField('factor', { defaultValue: '' })
  }

  return (
    <Dialog title="Change password" onClose={onClose}>
      <form onSubmit={onSubmit} noValidate className="form">
        <p>Your other sessions will be signed out. Your two-factor authentication stays as it is.</p>
        <Alert>{alert}</Alert>
        <Field
          label="Current password"
          type="password"
          autoComplete="current-password"
          {...register('currentPassword')}
          error={errors.currentPassword?.message}
        />
        {twoFactor && (
          <AppOrBackupCodeField
            backup={backup}
            onToggle={toggle}
            registration={register('factor')}
            error={errors.factor?.message}
          />
        )}
        <NewPasswordFields
          hint={
            twoFactor
              ? 'At least 12 characters; common passwords are refused.'
              : 'At least 15 characters while two-factor authentication is off; common passwords are refused.'
          }
          newPassword={register('newPassword')}
          confirm={register('confirmPassword')}
          errors={{ newPassword: errors.newPassword?.message, confirm: errors.confirmPassword?.message }}
        />
        <div className="form-actions">
          <Button type="submit" busy={formState.isSubmitting}>
            Change password
          </Button>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
        </div>
      </form>
    </Dialog>
  )
}

/** My profile → Password: change it with the current one (and the second factor when 2FA is on). */
export function PasswordSection() {
  const status = useTwoFactorStatus()
  const [open, setOpen] = useState(false)
  const [changed, setChanged] = useState(false)

  return (
    <Panel
      title="Password"
      actions={
        <Button
          variant="secondary"
          disabled={!status.data}
          onClick={() => {
            setChanged(false)
            setOpen(true)
          }}
        >
          Change password
        </Button>
      }
    >
      <p className="muted">
        Changing your password signs you out everywhere else: other windows, other computers and the command
        line.
      </p>
      <Notice>{changed ? 'Your password was changed. Your other sessions were signed out.' : null}</Notice>
      {status.isError && <Alert>{messageOf(status.error)}</Alert>}
      {open && status.data && (
        <ChangePasswordDialog
          twoFactor={status.data.enrolled}
          onChanged={() => {
            setOpen(false)
            setChanged(true)
          }}
          onClose={() => setOpen(false)}
        />
      )}
    </Panel>
  )
}
