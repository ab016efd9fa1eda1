import { zodResolver } from '@hookform/resolvers/zod'
import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { regenerateBackupCodesInputSchema } from '../../../../shared/schemas'
import { api, unwrap } from '../../api'
import { applyServerError } from '../../forms'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { Dialog } from '../../ui/Dialog'
import { Field } from '../../ui/Field'
import { AppCodeField } from './AppCodeField'
import { BackupCodes } from './BackupCodes'
import { useRefreshTwoFactorStatus } from './queries'

type Values = { password: string; code: string }

/** Password + current app code → a new set of five; the old set stops working at once. */
export function RegenerateCodesDialog({ account, onClose }: { account: string; onClose: () => void }) {
  const refreshStatus = useRefreshTwoFactorStatus()
  const [codes, setCodes] = useState<string[] | null>(null)
  const [alert, setAlert] = useState<string | null>(null)
  const { register, handleSubmit, formState, resetField, setError } = useForm<Values>({
    resolver: zodResolver(regenerateBackupCodesInputSchema),
    defaultValues: { password: '', code: '' },
  })

  const onSubmit = handleSubmit(async (values) => {
    setAlert(null)
    try {
      setCodes((await unwrap(api().twoFactor.regenerateBackupCodes(values))).backupCodes)
      void refreshStatus()
    } catch (e) {
      setAlert(applyServerError(e, setError, ['password', 'code']))
    } finally {
      resetField('password', { defaultValue: '', keepError: true })
      resetField('code', { defaultValue: '', keepError: true })
    }
  })

  if (codes) {
    // No onClose, so no Escape: the new codes are shown once, and the old ones no longer work.
    return (
      <Dialog title="Your new backup codes">
        <BackupCodes codes={codes} account={account} onDone={onClose} />
      </Dialog>
    )
  }
  return (
    <Dialog title="Create new backup codes?" onClose={onClose}>
      <form onSubmit={onSubmit} noValidate className="form">
        <p>
          You get five new codes. <strong>Your current backup codes stop working</strong>, used or not.
        </p>
        <Alert>{alert}</Alert>
        <Field
          label="Current password"
          type="password"
          autoComplete="current-password"
          {...register('password')}
          error={formState.errors.password?.message}
        />
        <AppCodeField
          label="6-digit code from your authenticator app"
          {...register('code')}
          error={formState.errors.code?.message}
        />
        <div className="form-actions">
          <Button type="submit" busy={formState.isSubmitting}>
            Create new codes
          </Button>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
        </div>
      </form>
    </Dialog>
  )
}
