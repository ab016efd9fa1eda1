import { zodResolver } from '@hookform/resolvers/zod'
import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { backupCodeSchema, passwordSchema, totpCodeSchema } from '../../../../shared/schemas'
import { useServerError } from '../../forms'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { Dialog } from '../../ui/Dialog'
import { Field } from '../../ui/Field'
import { AppOrBackupCodeField } from './AppCodeField'
import { useTurnOffTwoFactor } from './queries'

type Values = { password: string; factor: string }
// The factor is checked on submit against the schema of the chosen kind (app code or backup code).
const formSchema = z.object({ password: passwordSchema, factor: z.string() })

/** Password + app code (or a backup code) turns 2FA off; main records it. */
export function TurnOffDialog({ required, onClose }: { required: boolean; onClose: () => void }) {
  const { t } = useTranslation('twoFactor')
  const turnOff = useTurnOffTwoFactor()
  const [backup, setBackup] = useState(false)
  const { register, handleSubmit, formState, resetField, setError, clearErrors } = useForm<Values>({
    resolver: zodResolver(formSchema),
    defaultValues: { password: '', factor: '' },
  })
  const { error: alert, submit } = useServerError(setError, ['password'])

  const onSubmit = handleSubmit(async ({ password, factor }) => {
    const checked = (backup ? backupCodeSchema : totpCodeSchema).safeParse(factor)
    if (!checked.success) {
      setError('factor', { message: checked.error.issues[0]?.message ?? t('code.enter') })
      return
    }
    // Someone who must have 2FA is sent straight back into enrollment by main (the hook reads the session).
    const done = await submit(() =>
      turnOff.mutateAsync(backup ? { password, backupCode: factor } : { password, code: factor }),
    )
    resetField('password', { defaultValue: '', keepError: true })
    resetField('factor', { defaultValue: '', keepError: true })
    if (done) onClose()
  })

  const toggle = (): void => {
    setBackup((b) => !b)
    clearErrors('factor')
    resetField('factor', { defaultValue: '' })
  }

  return (
    <Dialog title={t('turnOff.title')} onClose={onClose}>
      <form onSubmit={onSubmit} noValidate className="form">
        <p>{t('turnOff.body')}</p>
        {required && <p className="alert alert-warning">{t('turnOff.required')}</p>}
        <Alert>{alert}</Alert>
        <Field
          label={t('turnOff.password')}
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
            {t('turnOff.submit')}
          </Button>
          <Button variant="secondary" onClick={onClose}>
            {t('cancel')}
          </Button>
        </div>
      </form>
    </Dialog>
  )
}
