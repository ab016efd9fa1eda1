import { zodResolver } from '@hookform/resolvers/zod'
import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { z } from 'zod'
import { backupCodeSchema, passwordSchema, totpCodeSchema } from '../../../../shared/schemas'
import { api, unwrap } from '../../api'
import { applyServerError } from '../../forms'
import { useSessionUpdate } from '../../session/queries'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { Dialog } from '../../ui/Dialog'
import { Field } from '../../ui/Field'
import { AppOrBackupCodeField } from './AppCodeField'
import { useRefreshTwoFactorStatus } from './queries'

type Values = { password: string; factor: string }
// The factor is checked on submit against the schema of the chosen kind (app code or backup code).
const formSchema = z.object({ password: passwordSchema, factor: z.string() })

/** Password + app code (or a backup code) turns 2FA off; main records it. */
export function TurnOffDialog({ required, onClose }: { required: boolean; onClose: () => void }) {
  const refreshStatus = useRefreshTwoFactorStatus()
  const { refresh } = useSessionUpdate()
  const [backup, setBackup] = useState(false)
  const [alert, setAlert] = useState<string | null>(null)
  const { register, handleSubmit, formState, resetField, setError, clearErrors } = useForm<Values>({
    resolver: zodResolver(formSchema),
    defaultValues: { password: '', factor: '' },
  })

  const onSubmit = handleSubmit(async ({ password, factor }) => {
    setAlert(null)
    const checked = (backup ? backupCodeSchema : totpCodeSchema).safeParse(factor)
    if (!checked.success) {
      setError('factor', { message: checked.error.issues[0]?.message ?? 'Enter the code' })
      return
    }
    try {
      await unwrap(
        api().twoFactor.disable(backup ? { password, backupCode: factor } : { password, code: factor }),
      )
      await refreshStatus()
      // Someone who must have 2FA is sent straight back into enrollment by main.
      await refresh()
      onClose()
    } catch (e) {
      setAlert(applyServerError(e, setError, ['password']))
    } finally {
      resetField('password', { defaultValue: '', keepError: true })
      resetField('factor', { defaultValue: '', keepError: true })
    }
  })

  const toggle = (): void => {
    setBackup((b) => !b)
    clearErrors('factor')
    resetField('factor', { defaultValue: '' })
  }

  return (
    <Dialog title="Turn off two-factor authentication?" onClose={onClose}>
      <form onSubmit={onSubmit} noValidate className="form">
        <p>
          Signing in will need only your password. Your authenticator app and your backup codes stop working.
        </p>
        {required && (
          <p className="alert alert-warning">
            Your administrator requires two-factor authentication: you will have to set it up again at once.
          </p>
        )}
        <Alert>{alert}</Alert>
        <Field
          label="Current password"
          type="password"
          autoComplete="current-password"
          {...register('password')}
          error={formState.errors.password?.message}
        />
        <AppOrBackupCodeField
          backup={backup}
          onToggle={toggle}
          registration={register('factor')}
          error={formState.errors.factor?.message}
        />
        <div className="form-actions">
          <Button type="submit" busy={formState.isSubmitting} className="btn-danger">
            Turn off two-factor authentication
          </Button>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
        </div>
      </form>
    </Dialog>
  )
}
