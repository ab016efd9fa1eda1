import { zodResolver } from '@hookform/resolvers/zod'
import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { joinTeamInputSchema, type JoinTeamInput } from '../../../../shared/schemas'
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
const URL_EXAMPLE = 'postgres://tessera:password@db.example.com:5432/tessera'

type Where = 'file' | 'team-new' | 'team-join'

const INTRO: Record<Where, string> = {
  file: 'Create the owner account. Tessera keeps its data in an encrypted database on this machine.',
  'team-new': 'Create the team database on your PostgreSQL server, and its owner account.',
  'team-join': 'Join the team database your account already uses. You sign in with your own account next.',
}

/**
 * First run: where the data lives — this computer's encrypted file, a new team database on PostgreSQL,
 * or a team database someone already created — then the owner (or, joining, the sign-in screen).
 */
export function SetupScreen({ keychainAvailable }: { keychainAvailable: boolean }) {
  const [where, setWhere] = useState<Where>('file')
  const option = (value: Where, title: string, detail: string) => (
    <label className="choice-option">
      <input type="radio" name="where" checked={where === value} onChange={() => setWhere(value)} />
      <span>
        <strong>{title}</strong>
        <small>{detail}</small>
      </span>
    </label>
  )
  return (
    <AuthLayout title="Set up Tessera" intro={INTRO[where]}>
      <fieldset className="choice">
        <legend>Where Tessera keeps its data</legend>
        {option('file', 'This computer (encrypted file)', 'For one desktop. Nothing to set up.')}
        {option(
          'team-new',
          'Team database (PostgreSQL): create it',
          'Several consoles share it. Needs an empty database on your server.',
        )}
        {option(
          'team-join',
          'Team database (PostgreSQL): join it',
          'Your account already uses one: its address and the team passphrase.',
        )}
      </fieldset>
      {where === 'team-join' ? (
        <JoinTeamForm />
      ) : (
        <OwnerForm key={where} team={where === 'team-new'} keychainAvailable={keychainAvailable} />
      )}
    </AuthLayout>
  )
}

function OwnerForm({ team, keychainAvailable }: { team: boolean; keychainAvailable: boolean }) {
  const { refresh } = useSessionUpdate()
  const [alert, setAlert] = useState<string | null>(null)
  const form = useForm<SetupFormInput, unknown, SetupFormValues>({
    resolver: zodResolver(setupFormSchema),
    defaultValues: {
      ...emptySetupForm(keychainAvailable),
      team,
      ...(team ? { keyStore: 'passphrase' } : {}),
    },
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
      setAlert(applyServerError(e, setError, ['email', 'name', 'password', 'passphrase', 'databaseUrl']))
    } finally {
      // Secrets never stay in the form after an attempt, whatever its outcome.
      for (const name of Object.keys(secretFields) as (keyof typeof secretFields)[]) {
        resetField(name, { defaultValue: '', keepError: true })
      }
    }
  })

  return (
    <form onSubmit={onSubmit} noValidate className="form">
      <Alert>{alert}</Alert>
      {team && (
        <Field
          label="Team database address"
          autoComplete="off"
          placeholder={URL_EXAMPLE}
          hint="An empty PostgreSQL database. A password in the address stays in this computer’s keychain."
          {...register('databaseUrl')}
          error={errors.databaseUrl?.message}
        />
      )}
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
      {!team && (
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
      )}
      {(team || keyStore === 'passphrase') && (
        <>
          <Field
            label={team ? 'Team passphrase' : 'Database passphrase'}
            type="password"
            autoComplete="new-password"
            hint={
              team
                ? 'At least 12 characters. It seals every secret on the server; each console asks for it once. Keep it apart from the backups.'
                : 'At least 12 characters. Without it the database cannot be opened.'
            }
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
  )
}

/** A console's first run on a team database that exists: its address and the team passphrase. */
function JoinTeamForm() {
  const { refresh } = useSessionUpdate()
  const [alert, setAlert] = useState<string | null>(null)
  const { register, handleSubmit, formState, setError, resetField } = useForm<JoinTeamInput>({
    resolver: zodResolver(joinTeamInputSchema),
    defaultValues: { databaseUrl: '', passphrase: '' },
  })
  const onSubmit = handleSubmit(async (values) => {
    setAlert(null)
    try {
      await unwrap(api().setup.joinTeam(values))
      await refresh()
    } catch (e) {
      setAlert(applyServerError(e, setError, ['databaseUrl', 'passphrase']))
    } finally {
      resetField('passphrase', { defaultValue: '', keepError: true })
    }
  })
  return (
    <form onSubmit={onSubmit} noValidate className="form">
      <Alert>{alert}</Alert>
      <Field
        label="Team database address"
        autoComplete="off"
        placeholder={URL_EXAMPLE}
        {...register('databaseUrl')}
        error={formState.errors.databaseUrl?.message}
      />
      <Field
        label="Team passphrase"
        type="password"
        autoComplete="off"
        hint="Given by whoever set up the team database. This computer keeps the team key in its keychain."
        {...register('passphrase')}
        error={formState.errors.passphrase?.message}
      />
      <Button type="submit" busy={formState.isSubmitting}>
        {formState.isSubmitting ? 'Joining…' : 'Join the team database'}
      </Button>
    </form>
  )
}
