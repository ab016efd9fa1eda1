import { zodResolver } from '@hookform/resolvers/zod'
import { useState } from 'react'
import { useForm } from 'react-hook-form'
import type { PasswordAskSupportDto } from '../../../../shared/dto'
import {
  passwordAskSupportInputSchema,
  passwordResetWithAccessCodeInputSchema,
  type RecoveryRequestInput,
} from '../../../../shared/schemas'
import { api, unwrap } from '../../api'
import { applyServerError } from '../../forms'
import { useSessionUpdate } from '../../session/queries'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { AuthLayout } from '../../ui/Layout'
import { SupportChecksFirst, SupportRequestFields } from './AskSupport'
import { CodeAndNewPasswordForm } from './CodeAndNewPasswordForm'
import { BackToSignIn, EmailField } from './formParts'

// Lost both the password and the authenticator: from "Forgot password?", a request to support with the
// email only, then the temporary access code support gives, with a new password, into enrollment.

type AskSupportInput = { email: string } & RecoveryRequestInput

const askFields = ['email', 'message', 'contact'] as const

/**
 * "I also lost my authenticator app": the email, what happened and how support can reach the person. The
 * answer reads the same whatever the address (main makes sure of it).
 */
export function AskSupportWithoutPasswordScreen({
  email,
  onHaveAccessCode,
  onBack,
}: {
  /** Carried over from "Forgot password?" (may be empty). */
  email: string
  /** "I have a temporary access code from support", with the email typed here carried over. */
  onHaveAccessCode: (email: string) => void
  onBack: () => void
}) {
  const [answer, setAnswer] = useState<PasswordAskSupportDto | null>(null)
  const [alert, setAlert] = useState<string | null>(null)
  const { register, handleSubmit, formState, setError, getValues } = useForm<AskSupportInput>({
    resolver: zodResolver(passwordAskSupportInputSchema),
    defaultValues: { email, message: '', contact: '' },
  })
  const errors = formState.errors

  const onSubmit = handleSubmit(async (values) => {
    setAlert(null)
    try {
      setAnswer(await unwrap(api().password.askSupport(values)))
    } catch (e) {
      setAlert(applyServerError(e, setError, askFields))
    }
  })

  const haveCode = (primary: boolean) => (
    <Button
      variant={primary ? 'primary' : 'ghost'}
      className={primary ? undefined : 'link-button'}
      onClick={() => onHaveAccessCode(getValues('email').trim())}
    >
      I have a temporary access code from support
    </Button>
  )
  const back = <BackToSignIn onBack={onBack} />

  if (answer) {
    return (
      <AuthLayout title="Ask support for help">
        <div className="form">
          <div role="status" className="alert alert-ok">
            {answer.message}
          </div>
          <p>
            <strong>Support will contact you</strong> as you asked and check who you are. Then they give you a
            temporary access code: enter it here under <em>I have a temporary access code from support</em>,
            with a new password, and set up your authenticator app again.
          </p>
          {haveCode(true)}
          {back}
        </div>
      </AuthLayout>
    )
  }

  return (
    <AuthLayout
      title="Ask support for help"
      intro={
        <p>
          Lost your password <em>and</em> your authenticator app? Support can give you a temporary access code
          to choose a new password and set up the app again.
        </p>
      }
    >
      <form onSubmit={onSubmit} noValidate className="form">
        <SupportChecksFirst />
        <Alert>{alert}</Alert>
        <EmailField autoFocus={email === ''} {...register('email')} error={errors.email?.message} />
        <SupportRequestFields
          autoFocus={email !== ''}
          message={register('message')}
          contact={register('contact')}
          errors={{ message: errors.message?.message, contact: errors.contact?.message }}
        />
        <Button type="submit" busy={formState.isSubmitting}>
          {formState.isSubmitting ? 'Sending…' : 'Send the request to support'}
        </Button>
        {haveCode(false)}
        {back}
      </form>
    </AuthLayout>
  )
}

/**
 * The temporary access code support gave for such a request, the email and a new password twice. Once main
 * accepts them the password is changed, the old authenticator and backup codes no longer work, and the
 * session may only enroll a new authenticator: re-reading the session shows the enrollment screen.
 */
export function ResetWithAccessCodeScreen({
  email,
  onAccepted,
  onBack,
}: {
  email: string
  /** Before the session is re-read: the enrollment screen says why it is there. */
  onAccepted: () => void
  onBack: () => void
}) {
  const { refresh } = useSessionUpdate()
  return (
    <AuthLayout
      title="Sign in with a temporary access code"
      intro={
        <p>
          Enter the temporary access code support gave you and choose a new password. Your old authenticator
          app and backup codes stop working, and you set up a new authenticator right away. The code works
          once.
        </p>
      }
    >
      <CodeAndNewPasswordForm
        email={email}
        schema={passwordResetWithAccessCodeInputSchema}
        codeLabel="Temporary access code"
        passwordHint="At least 12 characters; common passwords are refused."
        submitLabel="Change password and continue"
        busyLabel="Checking…"
        submit={async (values) => {
          await unwrap(api().password.resetWithAccessCode(values))
          onAccepted()
          await refresh()
        }}
        onBack={onBack}
      />
    </AuthLayout>
  )
}
