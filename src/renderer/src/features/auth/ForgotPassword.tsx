import { zodResolver } from '@hookform/resolvers/zod'
import { useState } from 'react'
import { useForm } from 'react-hook-form'
import type { PasswordForgotDto, PasswordResetDoneDto } from '../../../../shared/dto'
import { passwordForgotInputSchema, passwordResetWithCodeInputSchema } from '../../../../shared/schemas'
import { api, unwrap } from '../../api'
import { applyServerError } from '../../forms'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { AuthLayout } from '../../ui/Layout'
import { CodeAndNewPasswordForm } from './CodeAndNewPasswordForm'
import { BackToSignIn, EmailField } from './formParts'

/**
 * "Forgot password?": the email only. The answer reads the same whatever the address (main makes sure
 * of it); where this Tessera sends no email it says to ask an administrator instead.
 */
export function ForgotPasswordScreen({
  onHaveCode,
  onLostBoth,
  onHaveAccessCode,
  onBack,
}: {
  /** "I have a reset code", with the email typed here (if any) carried over. */
  onHaveCode: (email: string) => void
  /** "I also lost my authenticator app": a request to support, with the email carried over. */
  onLostBoth: (email: string) => void
  /** "I have a temporary access code from support" (after such a request), with the email carried over. */
  onHaveAccessCode: (email: string) => void
  onBack: () => void
}) {
  const [answer, setAnswer] = useState<PasswordForgotDto | null>(null)
  const [alert, setAlert] = useState<string | null>(null)
  const { register, handleSubmit, formState, setError, getValues } = useForm<{ email: string }>({
    resolver: zodResolver(passwordForgotInputSchema),
    defaultValues: { email: '' },
  })

  const onSubmit = handleSubmit(async (values) => {
    setAlert(null)
    try {
      setAnswer(await unwrap(api().password.forgot(values)))
    } catch (e) {
      setAlert(applyServerError(e, setError, ['email']))
    }
  })

  const haveCode = (
    <Button
      variant={answer?.emailDelivered ? 'primary' : 'secondary'}
      onClick={() => onHaveCode(getValues('email').trim())}
    >
      I have a reset code
    </Button>
  )

  // Without the authenticator a reset code alone does not get the person in: support has to help.
  const lostBoth = (
    <div className="form recovery-ways">
      <p className="muted">Lost your authenticator app as well?</p>
      <div className="form-actions">
        <Button variant="secondary" onClick={() => onLostBoth(getValues('email').trim())}>
          I also lost my authenticator app
        </Button>
        <Button
          variant="ghost"
          className="link-button"
          onClick={() => onHaveAccessCode(getValues('email').trim())}
        >
          I have a temporary access code from support
        </Button>
      </div>
    </div>
  )

  if (answer) {
    return (
      <AuthLayout title="Forgot your password?">
        <div className="form">
          {answer.emailDelivered ? (
            <div role="status" className="alert alert-ok">
              {answer.message}
            </div>
          ) : (
            <div role="status" className="alert alert-warning alert-stack">
              <p>{answer.message}</p>
              <p>
                An administrator can reset it from your user page: you then get a reset code by email or from
                them, and enter it under <em>I have a reset code</em>.
              </p>
            </div>
          )}
          {haveCode}
          <BackToSignIn onBack={onBack} />
        </div>
        {lostBoth}
      </AuthLayout>
    )
  }

  return (
    <AuthLayout
      title="Forgot your password?"
      intro={<p>Enter the email of your account. A reset code is sent to it, to choose a new password.</p>}
    >
      <form onSubmit={onSubmit} noValidate className="form">
        <Alert>{alert}</Alert>
        <EmailField autoFocus {...register('email')} error={formState.errors.email?.message} />
        <Button type="submit" busy={formState.isSubmitting}>
          {formState.isSubmitting ? 'Sending…' : 'Send a reset code'}
        </Button>
        {haveCode}
        <BackToSignIn onBack={onBack} />
      </form>
      {lostBoth}
    </AuthLayout>
  )
}

/** The reset code (from the email, or from an administrator) and the new password twice. */
export function ResetWithCodeScreen({
  email,
  onDone,
  onBack,
}: {
  email: string
  onDone: (done: PasswordResetDoneDto) => void
  onBack: () => void
}) {
  return (
    <AuthLayout
      title="Reset your password"
      intro={
        <p>
          Enter the reset code from the email (or the one your administrator gave you) and choose a new
          password.
        </p>
      }
    >
      <CodeAndNewPasswordForm
        email={email}
        schema={passwordResetWithCodeInputSchema}
        codeLabel="Reset code"
        passwordHint="At least 12 characters when two-factor authentication protects the account, otherwise 15; common passwords are refused."
        submitLabel="Change password"
        busyLabel="Changing…"
        submit={async (values) => onDone(await unwrap(api().password.resetWithCode(values)))}
        onBack={onBack}
      />
    </AuthLayout>
  )
}

/** The password changed: every session of the person ended; signing in still asks for the second factor. */
export function PasswordResetDoneScreen({
  done,
  onBack,
}: {
  done: PasswordResetDoneDto
  onBack: () => void
}) {
  return (
    <AuthLayout title="Password changed">
      <div className="form">
        <div role="status" className="alert alert-ok alert-stack">
          <p>Your password was changed. Sign in with it.</p>
          {done.secondFactorRequired && (
            <p>You will still need your authenticator app code (or a backup code) after the password.</p>
          )}
        </div>
        <p className="muted">Every session of {done.email} was signed out.</p>
        <Button autoFocus onClick={onBack}>
          Back to sign in
        </Button>
      </div>
    </AuthLayout>
  )
}
