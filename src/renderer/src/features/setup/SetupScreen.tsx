import { zodResolver } from '@hookform/resolvers/zod'
import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { api, unwrap } from '../../api'
import { applyServerError } from '../../forms'
import { useSessionUpdate } from '../../session/queries'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { Field } from '../../ui/Field'
import { AuthLayout } from '../../ui/Layout'
import {
  emptySetupForm,
  setupFormSchema,
  toSetupInput,
  type SetupFormInput,
  type SetupFormValues,
} from './setupForm'

const secretFields = { password: '', confirmPassword: '', passphrase: '', confirmPassphrase: '' }

/** First run: creates the encrypted database and its owner in one step, then signs the owner in. */
export function SetupScreen({ keychainAvailable }: { keychainAvailable: boolean }) {
  const { refresh } = useSessionUpdate()
  const [alert, setAlert] = useState<string | null>(null)
  const form = useForm<SetupFormInput, unknown, SetupFormValues>({
    resolver: zodResolver(setupFormSchema),
    defaultValues: emptySetupForm(keychainAvailable),
  })
  const { register, handleSubmit, formState, watch, setError, resetField } = form
  const errors = formState.errors
  const keyStore = watch('keyStore')

  const onSubmit = handleSubmit(async (values) => {
    setAlert(null)
    try {
      await unwrap(api().setup.createOwner(toSetupInput(values)))
      await refresh()
    } catch (e) {
      setAlert(applyServerError(e, setError, ['email', 'name', 'password', 'passphrase']))
    } finally {
      // Secrets never stay in the form after an attempt, whatever its outcome.
      for (const name of Object.keys(secretFields) as (keyof typeof secretFields)[]) {
        resetField(name, { defaultValue: '', keepError: true })
      }
    }
  })

  return (
    <AuthLayout
      title="Set up Tessera"
      intro="Create the owner account. Tessera keeps its data in an encrypted database on this machine."
    >
      <form onSubmit={onSubmit} noValidate className="form">
        <Alert>{alert}</Alert>
        <Field
          label="Owner email"
          type="email"
          autoComplete="username"
          {...register('email')}
          error={errors.email?.message}
        />
        <Field label="Name" autoComplete="name" {...register('name')} error={errors.name?.message} />
        <Field
          label="Password"
          type="password"
          autoComplete="new-password"
          hint="At least 15 characters until you turn on two-factor authentication; common passwords are refused."
          {...register('password')}
          error={errors.password?.message}
        />
        <Field
          label="Confirm password"
          type="password"
          autoComplete="new-password"
          {...register('confirmPassword')}
          error={errors.confirmPassword?.message}
        />
        <fieldset className="choice">
          <legend>Where the database key is kept</legend>
          <label className="choice-option">
            <input type="radio" value="keychain" disabled={!keychainAvailable} {...register('keyStore')} />
            <span>
              <strong>OS keychain</strong>
              <small>
                {keychainAvailable
                  ? 'A random key stored in this computer’s keychain. Recommended.'
                  : 'No keychain is available on this machine.'}
              </small>
            </span>
          </label>
          <label className="choice-option">
            <input type="radio" value="passphrase" {...register('keyStore')} />
            <span>
              <strong>Passphrase</strong>
              <small>You type a passphrase each time Tessera starts.</small>
            </span>
          </label>
        </fieldset>
        {keyStore === 'passphrase' && (
          <>
            <Field
              label="Database passphrase"
              type="password"
              autoComplete="new-password"
              hint="At least 12 characters. Without it the database cannot be opened."
              {...register('passphrase')}
              error={errors.passphrase?.message}
            />
            <Field
              label="Confirm passphrase"
              type="password"
              autoComplete="new-password"
              {...register('confirmPassphrase')}
              error={errors.confirmPassphrase?.message}
            />
          </>
        )}
        <Button type="submit" busy={formState.isSubmitting}>
          {formState.isSubmitting ? 'Creating…' : 'Create owner and open Tessera'}
        </Button>
      </form>
    </AuthLayout>
  )
}
