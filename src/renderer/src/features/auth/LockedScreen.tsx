import { zodResolver } from '@hookform/resolvers/zod'
import { useForm } from 'react-hook-form'
import { Trans, useTranslation } from 'react-i18next'
import type { SessionUser } from '../../../../shared/dto'
import { unlockInputSchema } from '../../../../shared/schemas'
import { useServerError } from '../../forms'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { Field } from '../../ui/Field'
import { AuthLayout } from '../../ui/Layout'
import { useSignOut, useUnlock } from './queries'

/** The console is locked for `user`; only their password opens it again, anyone may sign them out. */
export function LockedScreen({ user }: { user: SessionUser }) {
  const { t } = useTranslation('auth')
  const unlock = useUnlock()
  const signOut = useSignOut()
  const { register, handleSubmit, formState, resetField, setFocus, setError } = useForm<{ password: string }>(
    {
      resolver: zodResolver(unlockInputSchema),
      defaultValues: { password: '' },
    },
  )
  const server = useServerError(setError, [])

  const onSubmit = handleSubmit(async ({ password }) => {
    // A lockout while unlocking ends the session in main; the mutation reads the session again either way.
    if (!(await server.submit(() => unlock.mutateAsync({ password })))) setFocus('password')
    resetField('password', { defaultValue: '' })
  })

  return (
    <AuthLayout
      title={t('locked.title')}
      intro={
        <p>
          <Trans
            t={t}
            i18nKey="locked.intro"
            values={{ name: user.name, email: user.email }}
            components={{ strong: <strong /> }}
          />
        </p>
      }
    >
      <form onSubmit={onSubmit} noValidate className="form">
        <Alert>{server.error}</Alert>
        <Field
          label={t('locked.password')}
          type="password"
          autoComplete="current-password"
          autoFocus
          {...register('password')}
          error={formState.errors.password?.message}
        />
        <div className="form-actions">
          <Button type="submit" busy={formState.isSubmitting}>
            {formState.isSubmitting ? t('locked.busy') : t('locked.unlock')}
          </Button>
          <Button
            variant="secondary"
            onClick={() => void server.submit(() => signOut.mutateAsync())}
            busy={signOut.isPending || signOut.isSuccess}
          >
            {t('signOut')}
          </Button>
        </div>
      </form>
    </AuthLayout>
  )
}
