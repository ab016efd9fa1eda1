import { zodResolver } from '@hookform/resolvers/zod'
import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import {
  backupCodeSchema,
  passwordChangeInputSchema,
  totpCodeSchema,
  type PasswordChangeInput,
} from '../../../../shared/schemas'
import { messageOf } from '../../api'
import { renameFields, useServerError } from '../../forms'
import { i18n } from '../../i18n'
import { Alert, Notice } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { Dialog } from '../../ui/Dialog'
import { Field } from '../../ui/Field'
import { Panel } from '../../ui/Layout'
import { NewPasswordFields } from '../auth/formParts'
import { AppOrBackupCodeField } from '../two-factor/AppCodeField'
import { useTwoFactorStatus } from '../two-factor/queries'
import { useChangePassword } from './queries'

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
    // Looked up when the check fails, so it follows a language changed since.
    error: () => i18n.t('profile:password.notSame'),
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
  const { t } = useTranslation('profile')
  const change = useChangePassword()
  const [backup, setBackup] = useState(false)
  const { register, handleSubmit, formState, resetField, setError, clearErrors } = useForm<Values>({
    resolver: zodResolver(formSchema),
    defaultValues: { currentPassword: '', factor: '', newPassword: '', confirmPassword: '' },
  })
  const { error: alert, submit } = useServerError(setError, formFields)
  const errors = formState.errors

  const onSubmit = handleSubmit(async ({ currentPassword, factor, newPassword, confirmPassword }) => {
    let secondFactor: PasswordChangeInput['secondFactor']
    if (twoFactor) {
      const checked = (backup ? backupCodeSchema : totpCodeSchema).safeParse(factor)
      if (!checked.success) {
        setError('factor', { message: checked.error.issues[0]?.message ?? t('password.enterCode') })
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
    // Main calls the second factor `secondFactor`; here it is the `factor` field.
    const done = await submit(() =>
      change.mutateAsync(input).catch((e: unknown) => {
        throw renameFields(e, serverNames)
      }),
    )
    if (done) onChanged()
    else {
      resetField('currentPassword', { defaultValue: '', keepError: true })
      resetField('factor', { defaultValue: '', keepError: true })
    }
  })

  const toggle = (): void => {
    setBackup((b) => !b)
    clearErrors('factor')
    resetField('factor', { defaultValue: '' })
  }

  return (
    <Dialog title={t('password.change')} onClose={onClose}>
      <form onSubmit={onSubmit} noValidate className="form">
        <p>{t('password.dialogIntro')}</p>
        <Alert>{alert}</Alert>
        <Field
          label={t('password.current')}
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
          hint={twoFactor ? t('password.hintWithTwoFactor') : t('password.hintWithoutTwoFactor')}
          newPassword={register('newPassword')}
          confirm={register('confirmPassword')}
          errors={{ newPassword: errors.newPassword?.message, confirm: errors.confirmPassword?.message }}
        />
        <div className="form-actions">
          <Button type="submit" busy={formState.isSubmitting}>
            {t('password.change')}
          </Button>
          <Button variant="secondary" onClick={onClose}>
            {t('password.cancel')}
          </Button>
        </div>
      </form>
    </Dialog>
  )
}

/** My profile → Password: change it with the current one (and the second factor when 2FA is on). */
export function PasswordSection() {
  const { t } = useTranslation('profile')
  const status = useTwoFactorStatus()
  const [open, setOpen] = useState(false)
  const [changed, setChanged] = useState(false)

  return (
    <Panel
      title={t('password.title')}
      actions={
        <Button
          variant="secondary"
          disabled={!status.data}
          onClick={() => {
            setChanged(false)
            setOpen(true)
          }}
        >
          {t('password.change')}
        </Button>
      }
    >
      <p className="muted">{t('password.intro')}</p>
      <Notice>{changed ? t('password.changed') : null}</Notice>
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
