import { zodResolver } from '@hookform/resolvers/zod'
import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { z } from 'zod'
import { activateInputSchema } from '../../../../shared/schemas'
import { api, unwrap } from '../../api'
import { applyServerError } from '../../forms'
import { useSessionUpdate } from '../../session/queries'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { Field } from '../../ui/Field'
import { AuthLayout } from '../../ui/Layout'
import { BackToSignIn, EmailField, NewPasswordFields } from './formParts'

const activateFormSchema = activateInputSchema
  .extend({ confirm: z.string() })
  .refine((v) => v.password === v.confirm, { message: 'The passwords do not match', path: ['confirm'] })
type ActivateForm = z.input<typeof activateFormSchema>

/**
 * Email + invitation code + a new password. Main signs the person in; when 2FA is required the session
 * moves to enrollment and the wizard takes over the window.
 */
export function ActivateScreen({ onBack }: { onBack: () => void }) {
  const { refresh } = useSessionUpdate()
  const [alert, setAlert] = useState<string | null>(null)
  const { register, handleSubmit, formState, setError, resetField } = useForm<ActivateForm>({
    resolver: zodResolver(activateFormSchema),
    defaultValues: { email: '', code: '', password: '', confirm: '' },
  })

  const onSubmit = handleSubmit(async ({ email, code, password }) => {
    setAlert(null)
    try {
      await unwrap(api().auth.activate({ email, code, password }))
      await refresh()
    } catch (e) {
      setAlert(applyServerError(e, setError, ['email', 'code', 'password']))
      resetField('password', { defaultValue: '', keepError: true })
      resetField('confirm', { defaultValue: '' })
    }
  })

  return (
    <AuthLayout
      title="Activate your account"
      intro={
        <p>
          Enter the invitation code from your invitation email (or the one your administrator gave you) and
          choose a password.
        </p>
      }
    >
      <form onSubmit={onSubmit} noValidate className="form">
        <Alert>{alert}</Alert>
        <EmailField autoFocus {...register('email')} error={formState.errors.email?.message} />
        <Field
          label="Invitation code"
          autoComplete="off"
          spellCheck={false}
          className="mono"
          {...register('code')}
          error={formState.errors.code?.message}
        />
        <NewPasswordFields
          hint="At least 12 characters when two-factor authentication is required, otherwise 15; common passwords are refused."
          newPassword={register('password')}
          confirm={register('confirm')}
          confirmLabel="Confirm new password"
          errors={{
            newPassword: formState.errors.password?.message,
            confirm: formState.errors.confirm?.message,
          }}
        />
        <Button type="submit" busy={formState.isSubmitting}>
          {formState.isSubmitting ? 'Activating…' : 'Activate account'}
        </Button>
        <BackToSignIn onBack={onBack} />
      </form>
    </AuthLayout>
  )
}
