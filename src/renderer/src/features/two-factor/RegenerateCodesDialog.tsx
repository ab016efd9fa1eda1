import { zodResolver } from '@hookform/resolvers/zod'
import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { regenerateBackupCodesInputSchema } from '../../../../shared/schemas'
import { ApiFailure, messageOf } from '../../api'
import { applyServerError } from '../../forms'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { Dialog } from '../../ui/Dialog'
import { Field } from '../../ui/Field'
import { AppCodeField } from './AppCodeField'
import { BackupCodes } from './BackupCodes'
import { useRegenerateBackupCodes } from './queries'

type Values = { password: string; code: string }

/**
 * Password + current app code → a new set of five; the old set stops working at once. `justSignedIn`
 * (offered right after a sign-in with both factors): no fields — main accepts the sign-in for a few
 * minutes; once it no longer does, the password and code are asked after all.
 */
export function RegenerateCodesDialog({
  account,
  justSignedIn = false,
  onClose,
  onCreated,
}: {
  account: string
  justSignedIn?: boolean
  onClose: () => void
  /** The new codes were shown and the person is done with them. */
  onCreated?: () => void
}) {
  const regenerate = useRegenerateBackupCodes()
  const [codes, setCodes] = useState<string[] | null>(null)
  const [alert, setAlert] = useState<string | null>(null)
  const [askBoth, setAskBoth] = useState(!justSignedIn)
  const { register, handleSubmit, formState, resetField, setError } = useForm<Values>({
    resolver: zodResolver(regenerateBackupCodesInputSchema),
    defaultValues: { password: '', code: '' },
  })

  const withSignIn = async (): Promise<void> => {
    setAlert(null)
    try {
      setCodes((await regenerate.mutateAsync({ justSignedIn: true })).backupCodes)
    } catch (e) {
      setAlert(messageOf(e))
      // The sign-in is too old (or the console was locked since): the password and code it is.
      if (e instanceof ApiFailure && e.code === 'FORBIDDEN') setAskBoth(true)
    }
  }

  const onSubmit = handleSubmit(async (values) => {
    setAlert(null)
    try {
      setCodes((await regenerate.mutateAsync(values)).backupCodes)
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
        <BackupCodes
          codes={codes}
          account={account}
          onDone={() => {
            onClose()
            onCreated?.()
          }}
        />
      </Dialog>
    )
  }
  const warning = (
    <p>
      You get five new codes. <strong>Your current backup codes stop working</strong>, used or not.
    </p>
  )
  if (!askBoth) {
    return (
      <Dialog title="Create new backup codes?" onClose={onClose}>
        <div className="form">
          {warning}
          <p className="muted">You have just signed in, so you are not asked for your password again.</p>
          <Alert>{alert}</Alert>
          <div className="form-actions">
            <Button onClick={() => void withSignIn()} busy={regenerate.isPending} data-autofocus>
              Create new codes
            </Button>
            <Button variant="secondary" onClick={onClose}>
              Cancel
            </Button>
          </div>
        </div>
      </Dialog>
    )
  }
  return (
    <Dialog title="Create new backup codes?" onClose={onClose}>
      <form onSubmit={onSubmit} noValidate className="form">
        {warning}
        <Alert>{alert}</Alert>
        <Field
          label="Current password"
          type="password"
          autoComplete="current-password"
          // Shown in place of the one-click form: focus follows to the first field.
          autoFocus={justSignedIn}
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
