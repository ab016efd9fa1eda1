import { zodResolver } from '@hookform/resolvers/zod'
import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { loginInputSchema, type LoginInput } from '../../../../shared/schemas'
import { api, unwrap } from '../../api'
import { applyServerError } from '../../forms'
import { useSessionUpdate } from '../../session/queries'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { Field } from '../../ui/Field'
import { AuthLayout } from '../../ui/Layout'
import { ActivateScreen } from './ActivateScreen'

/** The signed-out window: sign in, or activate an invited account. */
export function LoginScreen() {
  const [activating, setActivating] = useState(false)
  if (activating) return <ActivateScreen onBack={() => setActivating(false)} />
  return <SignInForm onActivate={() => setActivating(true)} />
}

/** Email + password. Every refusal (wrong password, throttled, locked) is read out in the alert region. */
function SignInForm({ onActivate }: { onActivate: () => void }) {
  const { refresh } = useSessionUpdate()
  const [alert, setAlert] = useState<string | null>(null)
  const { register, handleSubmit, formState, resetField, setError, setFocus } = useForm<LoginInput>({
    resolver: zodResolver(loginInputSchema),
    defaultValues: { email: '', password: '' },
  })

  const onSubmit = handleSubmit(async (values) => {
    setAlert(null)
    try {
      await unwrap(api().auth.login(values))
      await refresh()
    } catch (e) {
      setAlert(applyServerError(e, setError, ['email', 'password']))
      setFocus('password')
    } finally {
      resetField('password', { defaultValue: '', keepError: true })
    }
  })

  return (
    <AuthLayout title="Sign in to Tessera">
      <form onSubmit={onSubmit} noValidate className="form">
        <Alert>{alert}</Alert>
        <Field
          label="Email"
          type="email"
          autoComplete="username"
          autoFocus
          {...register('email')}
          error={formState.errors.email?.message}
        />
        <Field
          label="Password"
          type="password"
          autoComplete="current-password"
          {...register('password')}
          error={formState.errors.password?.message}
        />
        <Button type="submit" busy={formState.isSubmitting}>
          {formState.isSubmitting ? 'Signing in…' : 'Sign in'}
        </Button>
      </form>
      <p className="auth-footer">
        Invited by your administrator?{' '}
        <Button variant="ghost" className="link-button inline-link" onClick={onActivate}>
          Activate an account
        </Button>
      </p>
    </AuthLayout>
  )
}
