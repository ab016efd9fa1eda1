import { zodResolver } from '@hookform/resolvers/zod'
import { useState } from 'react'
import { useForm } from 'react-hook-form'
import type { SessionUser } from '../../../../shared/dto'
import { unlockInputSchema } from '../../../../shared/schemas'
import { api, messageOf, unwrap } from '../../api'
import { useSessionUpdate } from '../../session/queries'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { Field } from '../../ui/Field'
import { AuthLayout } from '../../ui/Layout'

/** The console is locked for `user`; only their password opens it again, anyone may sign them out. */
export function LockedScreen({ user }: { user: SessionUser }) {
  const { set, refresh } = useSessionUpdate()
  const [alert, setAlert] = useState<string | null>(null)
  const [signingOut, setSigningOut] = useState(false)
  const { register, handleSubmit, formState, resetField, setFocus } = useForm<{ password: string }>({
    resolver: zodResolver(unlockInputSchema),
    defaultValues: { password: '' },
  })

  const onSubmit = handleSubmit(async ({ password }) => {
    setAlert(null)
    try {
      await unwrap(api().auth.unlock({ password }))
      await refresh()
    } catch (e) {
      setAlert(messageOf(e))
      setFocus('password')
      // A lockout while unlocking ends the session in main; show whatever screen that leaves.
      await refresh()
    } finally {
      resetField('password', { defaultValue: '' })
    }
  })

  const signOut = async (): Promise<void> => {
    setSigningOut(true)
    try {
      set(await unwrap(api().auth.logout()))
    } catch (e) {
      setAlert(messageOf(e))
      setSigningOut(false)
    }
  }

  return (
    <AuthLayout
      title="Tessera is locked"
      intro={
        <p>
          Signed in as <strong>{user.name}</strong> ({user.email}). Enter your password to continue.
        </p>
      }
    >
      <form onSubmit={onSubmit} noValidate className="form">
        <Alert>{alert}</Alert>
        <Field
          label="Password"
          type="password"
          autoComplete="current-password"
          autoFocus
          {...register('password')}
          error={formState.errors.password?.message}
        />
        <div className="form-actions">
          <Button type="submit" busy={formState.isSubmitting}>
            {formState.isSubmitting ? 'Unlocking…' : 'Unlock'}
          </Button>
          <Button variant="secondary" onClick={() => void signOut()} busy={signingOut}>
            Sign out
          </Button>
        </div>
      </form>
    </AuthLayout>
  )
}
