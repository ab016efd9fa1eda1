import { zodResolver } from '@hookform/resolvers/zod'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useForm } from 'react-hook-form'
import { joinTeamInputSchema, type JoinTeamInput } from '../../../../shared/schemas'
import { useServerError } from '../../forms'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { Field } from '../../ui/Field'
import { AuthLayout } from '../../ui/Layout'
import { useCreateOwner, useJoinTeam } from './queries'
import {
  emptySetupForm,
  setupFormSchema,
  toSetupInput,
  type SetupFormInput,
  type SetupFormValues,
} from './setupForm'

const secretFields = { password: '', confirmPassword: '', passphrase: '', confirmPassphrase: '' }

type Where = 'file' | 'team-new' | 'team-join'

/**
 * First run: where the data lives — this computer's encrypted file, a new team database on PostgreSQL,
 * or a team database someone already created — then the owner (or, joining, the sign-in screen).
 */
export function SetupScreen({ keychainAvailable }: { keychainAvailable: boolean }) {
  const { t } = useTranslation('setup')
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
    <AuthLayout title={t('title')} intro={t(`intro.${where}`)}>
      <fieldset className="choice">
        <legend>{t('where.legend')}</legend>
        {option('file', t('where.file'), t('where.fileDetail'))}
        {option('team-new', t('where.teamNew'), t('where.teamNewDetail'))}
        {option('team-join', t('where.teamJoin'), t('where.teamJoinDetail'))}
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
  const { t } = useTranslation('setup')
  const createOwner = useCreateOwner()
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
  const { error: alert, submit } = useServerError(setError, [
    'email',
    'name',
    'password',
    'passphrase',
    'databaseUrl',
  ])

  const onSubmit = handleSubmit(async (values) => {
    await submit(() => createOwner.mutateAsync(toSetupInput(values)))
    // Secrets never stay in the form after an attempt, whatever its outcome.
    for (const name of Object.keys(secretFields) as (keyof typeof secretFields)[]) {
      resetField(name, { defaultValue: '', keepError: true })
    }
  })

  return (
    <form onSubmit={onSubmit} noValidate className="form">
      <Alert>{alert}</Alert>
      {team && (
        <Field
          label={t('form.databaseUrl')}
          autoComplete="off"
          placeholder={t('form.urlExample')}
          hint={t('form.databaseUrlHint')}
          {...register('databaseUrl')}
          error={errors.databaseUrl?.message}
        />
      )}
      <Field
        label={t('form.email')}
        type="email"
        autoComplete="username"
        {...register('email')}
        error={errors.email?.message}
      />
      <Field label={t('form.name')} autoComplete="name" {...register('name')} error={errors.name?.message} />
      <Field
        label={t('form.password')}
        type="password"
        autoComplete="new-password"
        hint={t('form.passwordHint')}
        {...register('password')}
        error={errors.password?.message}
      />
      <Field
        label={t('form.confirmPassword')}
        type="password"
        autoComplete="new-password"
        {...register('confirmPassword')}
        error={errors.confirmPassword?.message}
      />
      {!team && (
        <fieldset className="choice">
          <legend>{t('form.keyLegend')}</legend>
          <label className="choice-option">
            <input type="radio" value="keychain" disabled={!keychainAvailable} {...register('keyStore')} />
            <span>
              <strong>{t('form.keychain')}</strong>
              <small>{keychainAvailable ? t('form.keychainDetail') : t('form.noKeychain')}</small>
            </span>
          </label>
          <label className="choice-option">
            <input type="radio" value="passphrase" {...register('keyStore')} />
            <span>
              <strong>{t('form.passphrase')}</strong>
              <small>{t('form.passphraseDetail')}</small>
            </span>
          </label>
        </fieldset>
      )}
      {(team || keyStore === 'passphrase') && (
        <>
          <Field
            label={team ? t('form.teamPassphrase') : t('form.databasePassphrase')}
            type="password"
            autoComplete="new-password"
            hint={team ? t('form.teamPassphraseHint') : t('form.databasePassphraseHint')}
            {...register('passphrase')}
            error={errors.passphrase?.message}
          />
          <Field
            label={t('form.confirmPassphrase')}
            type="password"
            autoComplete="new-password"
            {...register('confirmPassphrase')}
            error={errors.confirmPassphrase?.message}
          />
        </>
      )}
      <Button type="submit" busy={formState.isSubmitting}>
        {formState.isSubmitting ? t('form.creating') : t('form.create')}
      </Button>
    </form>
  )
}

/** A console's first run on a team database that exists: its address and the team passphrase. */
function JoinTeamForm() {
  const { t } = useTranslation('setup')
  const joinTeam = useJoinTeam()
  const { register, handleSubmit, formState, setError, resetField } = useForm<JoinTeamInput>({
    resolver: zodResolver(joinTeamInputSchema),
    defaultValues: { databaseUrl: '', passphrase: '' },
  })
  const { error: alert, submit } = useServerError(setError, ['databaseUrl', 'passphrase'])
  const onSubmit = handleSubmit(async (values) => {
    await submit(() => joinTeam.mutateAsync(values))
    resetField('passphrase', { defaultValue: '', keepError: true })
  })
  return (
    <form onSubmit={onSubmit} noValidate className="form">
      <Alert>{alert}</Alert>
      <Field
        label={t('form.databaseUrl')}
        autoComplete="off"
        placeholder={t('form.urlExample')}
        {...register('databaseUrl')}
        error={formState.errors.databaseUrl?.message}
      />
      <Field
        label={t('form.teamPassphrase')}
        type="password"
        autoComplete="off"
        hint={t('form.joinPassphraseHint')}
        {...register('passphrase')}
        error={formState.errors.passphrase?.message}
      />
      <Button type="submit" busy={formState.isSubmitting}>
        {formState.isSubmitting ? t('form.joining') : t('form.join')}
      </Button>
    </form>
  )
}
