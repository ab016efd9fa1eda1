import { zodResolver } from '@hookform/resolvers/zod'
import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import type { PasswordResetDoneDto } from '../../../../shared/dto'
import { loginInputSchema, type LoginInput } from '../../../../shared/schemas'
import { useServerError } from '../../forms'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { Field } from '../../ui/Field'
import { AuthLayout } from '../../ui/Layout'
import { ActivateScreen } from './ActivateScreen'
import { EmailField } from './formParts'
import parts from './formParts.module.css'
import { ForgotPasswordScreen, PasswordResetDoneScreen, ResetWithCodeScreen } from './ForgotPassword'
import styles from './LoginScreen.module.css'
import { AskSupportWithoutPasswordScreen, ResetWithAccessCodeScreen } from './LostBoth'
import { useSignIn } from './queries'

/** Where the signed-out window is. Nothing typed is kept from one step to the next but an email. */
type Step =
  | { at: 'sign-in'; email: string }
  | { at: 'activate' }
  | { at: 'forgot' }
  | { at: 'reset'; email: string }
  | { at: 'reset-done'; done: PasswordResetDoneDto }
  | { at: 'ask-support'; email: string }
  | { at: 'access-code'; email: string }

/**
 * The signed-out window: sign in, activate an invited account, or reset a forgotten password (with the
 * authenticator lost too: ask support, then their temporary access code).
 */
export function LoginScreen({
  onRecoveredWithAccessCode,
}: {
  /** The access code from support was accepted: the enrollment screen comes next and says why. */
  onRecoveredWithAccessCode?: () => void
} = {}) {
  const [step, setStep] = useState<Step>({ at: 'sign-in', email: '' })
  const signIn = (email = ''): void => setStep({ at: 'sign-in', email })
  switch (step.at) {
    case 'activate':
      return <ActivateScreen onBack={() => signIn()} />
    case 'forgot':
      return (
        <ForgotPasswordScreen
          onHaveCode={(email) => setStep({ at: 'reset', email })}
          onLostBoth={(email) => setStep({ at: 'ask-support', email })}
          onHaveAccessCode={(email) => setStep({ at: 'access-code', email })}
          onBack={() => signIn()}
        />
      )
    case 'ask-support':
      return (
        <AskSupportWithoutPasswordScreen
          email={step.email}
          onHaveAccessCode={(email) => setStep({ at: 'access-code', email })}
          onBack={() => signIn()}
        />
      )
    case 'access-code':
      return (
        <ResetWithAccessCodeScreen
          email={step.email}
          onAccepted={() => onRecoveredWithAccessCode?.()}
          onBack={() => signIn()}
        />
      )
    case 'reset':
      return (
        <ResetWithCodeScreen
          email={step.email}
          onDone={(done) => setStep({ at: 'reset-done', done })}
          onBack={() => signIn()}
        />
      )
    case 'reset-done':
      return <PasswordResetDoneScreen done={step.done} onBack={() => signIn(step.done.email)} />
    case 'sign-in':
      return (
        <SignInForm
          email={step.email}
          onActivate={() => setStep({ at: 'activate' })}
          onForgot={() => setStep({ at: 'forgot' })}
        />
      )
  }
}

/** Email + password. Every refusal (wrong password, throttled, locked) is read out in the alert region. */
function SignInForm({
  email,
  onActivate,
  onForgot,
}: {
  email: string
  onActivate: () => void
  onForgot: () => void
}) {
  const { t } = useTranslation('auth')
  const signIn = useSignIn()
  const { register, handleSubmit, formState, resetField, setError, setFocus } = useForm<LoginInput>({
    resolver: zodResolver(loginInputSchema),
    defaultValues: { email, password: '' },
  })
  const server = useServerError(setError, ['email', 'password'])

  const onSubmit = handleSubmit(async (values) => {
    if (!(await server.submit(() => signIn.mutateAsync(values)))) setFocus('password')
    resetField('password', { defaultValue: '', keepError: true })
  })

  return (
    <AuthLayout title={t('signIn.title')}>
      <form onSubmit={onSubmit} noValidate className="form">
        <Alert>{server.error}</Alert>
        <EmailField autoFocus={email === ''} {...register('email')} error={formState.errors.email?.message} />
        <Field
          label={t('signIn.password')}
          type="password"
          autoComplete="current-password"
          autoFocus={email !== ''}
          {...register('password')}
          error={formState.errors.password?.message}
        />
        <Button type="submit" busy={formState.isSubmitting}>
          {formState.isSubmitting ? t('signIn.busy') : t('signIn.submit')}
        </Button>
        <Button variant="ghost" className="link-button" onClick={onForgot}>
          {t('signIn.forgot')}
        </Button>
      </form>
      <p className={parts.footer}>
        {t('signIn.invited')}{' '}
        <Button variant="ghost" className={`link-button ${styles.inlineLink}`} onClick={onActivate}>
          {t('signIn.activate')}
        </Button>
      </p>
    </AuthLayout>
  )
}
