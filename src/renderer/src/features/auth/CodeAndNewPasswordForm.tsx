import { zodResolver } from '@hookform/resolvers/zod'
import { useForm } from 'react-hook-form'
import type {
  PasswordResetWithCodeInput,
  passwordResetWithAccessCodeInputSchema,
  passwordResetWithCodeInputSchema,
} from '../../../../shared/schemas'
import { useServerError } from '../../forms'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { BackToSignIn, EmailField, LongCodeField, NewPasswordFields } from './formParts'

/** The email, a one-time code and the new password twice: alike for a reset code and an access code. */
export type CodeAndNewPassword = PasswordResetWithCodeInput

const formFields = ['email', 'code', 'newPassword', 'confirmPassword'] as const

/**
 * The form of a signed-out password reset with a code (a reset code, or support's temporary access code).
 * With the email carried over the code box has the focus. A refusal empties both password boxes.
 */
export function CodeAndNewPasswordForm({
  email,
  schema,
  codeLabel,
  passwordHint,
  submitLabel,
  busyLabel,
  submit,
  onBack,
}: {
  email: string
  schema: typeof passwordResetWithCodeInputSchema | typeof passwordResetWithAccessCodeInputSchema
  codeLabel: string
  passwordHint: string
  submitLabel: string
  busyLabel: string
  /** Sends the form to main; a rejection is shown on the form. */
  submit: (values: CodeAndNewPassword) => Promise<void>
  onBack: () => void
}) {
  const { register, handleSubmit, formState, setError, resetField } = useForm<CodeAndNewPassword>({
    resolver: zodResolver(schema),
    defaultValues: { email, code: '', newPassword: '', confirmPassword: '' },
  })
  const errors = formState.errors
  const server = useServerError(setError, formFields)

  const onSubmit = handleSubmit(async (values) => {
    if (await server.submit(() => submit(values))) return
    resetField('newPassword', { defaultValue: '', keepError: true })
    resetField('confirmPassword', { defaultValue: '', keepError: true })
  })

  return (
    <form onSubmit={onSubmit} noValidate className="form">
      <Alert>{server.error}</Alert>
      <EmailField autoFocus={email === ''} {...register('email')} error={errors.email?.message} />
      <LongCodeField
        label={codeLabel}
        autoFocus={email !== ''}
        {...register('code')}
        error={errors.code?.message}
      />
      <NewPasswordFields
        hint={passwordHint}
        newPassword={register('newPassword')}
        confirm={register('confirmPassword')}
        errors={{ newPassword: errors.newPassword?.message, confirm: errors.confirmPassword?.message }}
      />
      <Button type="submit" busy={formState.isSubmitting}>
        {formState.isSubmitting ? busyLabel : submitLabel}
      </Button>
      <BackToSignIn onBack={onBack} />
    </form>
  )
}
