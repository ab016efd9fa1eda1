import { zodResolver } from '@hookform/resolvers/zod'
import { useForm } from 'react-hook-form'
import { Trans, useTranslation } from 'react-i18next'
import {
  passwordAskSupportInputSchema,
  passwordResetWithAccessCodeInputSchema,
  type RecoveryRequestInput,
} from '../../../../shared/schemas'
import { useServerError } from '../../forms'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { AuthLayout } from '../../ui/Layout'
import { SupportChecksFirst, SupportRequestFields } from './AskSupport'
import { CodeAndNewPasswordForm } from './CodeAndNewPasswordForm'
import { BackToSignIn, EmailField } from './formParts'
import { usePasswordAskSupport, useResetWithAccessCode } from './queries'

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
  const { t } = useTranslation('auth')
  const ask = usePasswordAskSupport()
  const { register, handleSubmit, formState, setError, getValues } = useForm<AskSupportInput>({
    resolver: zodResolver(passwordAskSupportInputSchema),
    defaultValues: { email, message: '', contact: '' },
  })
  const errors = formState.errors
  const server = useServerError(setError, askFields)

  const onSubmit = handleSubmit(async (values) => {
    await server.submit(() => ask.mutateAsync(values))
  })

  const haveCode = (primary: boolean) => (
    <Button
      variant={primary ? 'primary' : 'ghost'}
      className={primary ? undefined : 'link-button'}
      onClick={() => onHaveAccessCode(getValues('email').trim())}
    >
      {t('haveAccessCode')}
    </Button>
  )
  const back = <BackToSignIn onBack={onBack} />

  if (ask.isSuccess) {
    // Main's answer, in the console's words: the same for every address, as main's own message is.
    return (
      <AuthLayout title={t('askSupport')}>
        <div className="form">
          <div role="status" className="alert alert-ok">
            {t('lostBoth.received', { email: ask.variables.email })}
          </div>
          <p>
            <Trans t={t} i18nKey="lostBoth.next" components={{ strong: <strong />, em: <em /> }} />
          </p>
          {haveCode(true)}
          {back}
        </div>
      </AuthLayout>
    )
  }

  return (
    <AuthLayout
      title={t('askSupport')}
      intro={
        <p>
          <Trans t={t} i18nKey="lostBoth.intro" components={{ em: <em /> }} />
        </p>
      }
    >
      <form onSubmit={onSubmit} noValidate className="form">
        <SupportChecksFirst />
        <Alert>{server.error}</Alert>
        <EmailField autoFocus={email === ''} {...register('email')} error={errors.email?.message} />
        <SupportRequestFields
          autoFocus={email !== ''}
          message={register('message')}
          contact={register('contact')}
          errors={{ message: errors.message?.message, contact: errors.contact?.message }}
        />
        <Button type="submit" busy={formState.isSubmitting}>
          {formState.isSubmitting ? t('sending') : t('support.send')}
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
  const { t } = useTranslation('auth')
  const reset = useResetWithAccessCode(onAccepted)
  return (
    <AuthLayout title={t('lostBoth.accessTitle')} intro={<p>{t('lostBoth.accessIntro')}</p>}>
      <CodeAndNewPasswordForm
        email={email}
        schema={passwordResetWithAccessCodeInputSchema}
        codeLabel={t('accessCode')}
        passwordHint={t('lostBoth.passwordHint')}
        submitLabel={t('lostBoth.submit')}
        busyLabel={t('checking')}
        submit={async (values) => {
          await reset.mutateAsync(values)
        }}
        onBack={onBack}
      />
    </AuthLayout>
  )
}
