import { zodResolver } from '@hookform/resolvers/zod'
import { useForm } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { activateInputSchema } from '../../../../shared/schemas'
import { useServerError } from '../../forms'
import { i18n } from '../../i18n'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { Field } from '../../ui/Field'
import { AuthLayout } from '../../ui/Layout'
import { BackToSignIn, EmailField, NewPasswordFields } from './formParts'
import { useActivate } from './queries'

const activateFormSchema = activateInputSchema.extend({ confirm: z.string() }).refine(
  (v) => v.password === v.confirm,
  // Worded when the form is checked, in the language shown then.
  { error: () => i18n.t('auth:activate.mismatch'), path: ['confirm'] },
)
type ActivateForm = z.input<typeof activateFormSchema>

/**
 * Email + invitation code + a new password. Main signs the person in; when 2FA is required the session
 * moves to enrollment and the wizard takes over the window.
 */
export function ActivateScreen({ onBack }: { onBack: () => void }) {
  const { t } = useTranslation('auth')
  const activate = useActivate()
  const { register, handleSubmit, formState, setError, resetField } = useForm<ActivateForm>({
    resolver: zodResolver(activateFormSchema),
    defaultValues: { email: '', code: '', password: '', confirm: '' },
  })
  const server = useServerError(setError, ['email', 'code', 'password'])

  const onSubmit = handleSubmit(async ({ email, code, password }) => {
    if (await server.submit(() => activate.mutateAsync({ email, code, password }))) return
    resetField('password', { defaultValue: '', keepError: true })
    resetField('confirm', { defaultValue: '' })
  })

  return (
    <AuthLayout title={t('activate.title')} intro={<p>{t('activate.intro')}</p>}>
      <form onSubmit={onSubmit} noValidate className="form">
        <Alert>{server.error}</Alert>
        <EmailField autoFocus {...register('email')} error={formState.errors.email?.message} />
        <Field
          label={t('activate.code')}
          autoComplete="off"
          spellCheck={false}
          className="mono"
          {...register('code')}
          error={formState.errors.code?.message}
        />
        <NewPasswordFields
          hint={t('activate.passwordHint')}
          newPassword={register('password')}
          confirm={register('confirm')}
          confirmLabel={t('activate.confirm')}
          errors={{
            newPassword: formState.errors.password?.message,
            confirm: formState.errors.confirm?.message,
          }}
        />
        <Button type="submit" busy={formState.isSubmitting}>
          {formState.isSubmitting ? t('activate.busy') : t('activate.submit')}
        </Button>
        <BackToSignIn onBack={onBack} />
      </form>
    </AuthLayout>
  )
}
