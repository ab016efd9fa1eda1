import { zodResolver } from '@hookform/resolvers/zod'
import { useForm } from 'react-hook-form'
import { Trans, useTranslation } from 'react-i18next'
import type { PasswordResetDoneDto } from '../../../../shared/dto'
import { passwordForgotInputSchema, passwordResetWithCodeInputSchema } from '../../../../shared/schemas'
import { useServerError } from '../../forms'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { AuthLayout } from '../../ui/Layout'
import { CodeAndNewPasswordForm } from './CodeAndNewPasswordForm'
import { BackToSignIn, EmailField } from './formParts'
import parts from './formParts.module.css'
import { usePasswordForgot, useResetWithCode } from './queries'

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
  const { t } = useTranslation('auth')
  const forgot = usePasswordForgot()
  const { register, handleSubmit, formState, setError, getValues } = useForm<{ email: string }>({
    resolver: zodResolver(passwordForgotInputSchema),
    defaultValues: { email: '' },
  })
  const server = useServerError(setError, ['email'])
  const answer = forgot.data

  const onSubmit = handleSubmit(async (values) => {
    await server.submit(() => forgot.mutateAsync(values))
  })

  const haveCode = (
    <Button
      variant={answer?.emailDelivered ? 'primary' : 'secondary'}
      onClick={() => onHaveCode(getValues('email').trim())}
    >
      {t('forgot.haveCode')}
    </Button>
  )

  // Without the authenticator a reset code alone does not get the person in: support has to help.
  const lostBoth = (
    <div className={`form ${parts.ways}`}>
      <p className="muted">{t('forgot.lostBothToo')}</p>
      <div className="form-actions">
        <Button variant="secondary" onClick={() => onLostBoth(getValues('email').trim())}>
          {t('forgot.lostBoth')}
        </Button>
        <Button
          variant="ghost"
          className="link-button"
          onClick={() => onHaveAccessCode(getValues('email').trim())}
        >
          {t('haveAccessCode')}
        </Button>
      </div>
    </div>
  )

  if (answer && forgot.variables) {
    // Main's answer, in the console's words: the same for every address, as main's own message is.
    return (
      <AuthLayout title={t('forgot.title')}>
        <div className="form">
          {answer.emailDelivered ? (
            <div role="status" className="alert alert-ok">
              {t('forgot.sent', { email: forgot.variables.email })}
            </div>
          ) : (
            <div role="status" className={`alert alert-warning ${parts.stack}`}>
              <p>{t('forgot.noEmail')}</p>
              <p>
                <Trans t={t} i18nKey="forgot.askAdmin" components={{ em: <em /> }} />
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
    <AuthLayout title={t('forgot.title')} intro={<p>{t('forgot.intro')}</p>}>
      <form onSubmit={onSubmit} noValidate className="form">
        <Alert>{server.error}</Alert>
        <EmailField autoFocus {...register('email')} error={formState.errors.email?.message} />
        <Button type="submit" busy={formState.isSubmitting}>
          {formState.isSubmitting ? t('sending') : t('forgot.send')}
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
  const { t } = useTranslation('auth')
  const reset = useResetWithCode()
  return (
    <AuthLayout title={t('reset.title')} intro={<p>{t('reset.intro')}</p>}>
      <CodeAndNewPasswordForm
        email={email}
        schema={passwordResetWithCodeInputSchema}
        codeLabel={t('reset.code')}
        passwordHint={t('reset.passwordHint')}
        submitLabel={t('reset.submit')}
        busyLabel={t('reset.busy')}
        submit={async (values) => onDone(await reset.mutateAsync(values))}
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
  const { t } = useTranslation('auth')
  return (
    <AuthLayout title={t('resetDone.title')}>
      <div className="form">
        <div role="status" className={`alert alert-ok ${parts.stack}`}>
          <p>{t('resetDone.changed')}</p>
          {done.secondFactorRequired && <p>{t('resetDone.secondFactor')}</p>}
        </div>
        <p className="muted">{t('resetDone.signedOut', { email: done.email })}</p>
        <Button autoFocus onClick={onBack}>
          {t('parts.backToSignIn')}
        </Button>
      </div>
    </AuthLayout>
  )
}
