import { zodResolver } from '@hookform/resolvers/zod'
import { useForm } from 'react-hook-form'
import { Trans, useTranslation } from 'react-i18next'
import type { EmailConfigDto, EmailOutboxEntryDto } from '../../../../shared/dto'
import { emailSchema, type EmailConfigureInput, type EmailTlsModeName } from '../../../../shared/schemas'
import { messageOf } from '../../api'
import { useServerError } from '../../forms'
import { Alert, Notice } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { Field } from '../../ui/Field'
import { Panel } from '../../ui/Layout'
import { RadioChoices, type RadioChoice } from '../../ui/RadioChoices'
import { emailFormFields, emailFormSchema, toEmailForm, type EmailFormInput } from './emailForm'
import { EmailStatusBadge } from './EmailOutbox'
import { useConfigureEmail, useEmailConfig, useSendTestEmail } from './emailQueries'
import { time } from './OutboxPanel'
import { SendTestForm, storedSecretHint, type SettingsT, type TestRecipient } from './providerParts'

const tlsModes: readonly EmailTlsModeName[] = ['implicit', 'starttls', 'none']

const providerChoices = (t: SettingsT): RadioChoice[] => [
  { value: 'outbox', label: t('email.outbox'), hint: t('email.outboxHint') },
  { value: 'smtp', label: t('email.smtp'), hint: t('email.smtpHint') },
]

const tlsChoices = (t: SettingsT): RadioChoice[] =>
  tlsModes.map((m) => ({ value: m, label: t(`email.tls.${m}`), hint: t(`email.tls.${m}Hint`) }))

function EmailConfigForm({ config }: { config: EmailConfigDto }) {
  const { t } = useTranslation('settings')
  const configure = useConfigureEmail()
  const { register, handleSubmit, formState, setError, reset, watch } = useForm<
    EmailFormInput,
    unknown,
    EmailConfigureInput
  >({
    resolver: zodResolver(emailFormSchema),
    defaultValues: toEmailForm(config),
  })
  const errors = formState.errors
  const provider = watch('provider')
  const { error, submit } = useServerError(setError, emailFormFields)

  const onSubmit = handleSubmit(async (input) => {
    // The password box empties after a save: the password is kept, never shown again.
    await submit(async () => reset(toEmailForm(await configure.mutateAsync(input))))
  })

  return (
    <form onSubmit={onSubmit} noValidate className="form form-wide" aria-label={t('email.form')}>
      <Alert>{error}</Alert>
      <Notice>{configure.isSuccess && !formState.isDirty ? t('email.saved') : null}</Notice>
      <RadioChoices
        legend={t('email.provider')}
        choices={providerChoices(t)}
        registration={register('provider')}
      />
      {provider === 'smtp' && (
        <>
          <Field
            label={t('email.host')}
            autoComplete="off"
            spellCheck={false}
            hint={t('email.hostHint')}
            {...register('host')}
            error={errors.host?.message}
          />
          <Field
            label={t('email.port')}
            inputMode="numeric"
            autoComplete="off"
            hint={t('email.portHint')}
            {...register('port')}
            error={errors.port?.message}
          />
          <RadioChoices
            legend={t('email.security')}
            choices={tlsChoices(t)}
            registration={register('tls')}
            error={errors.tls?.message}
          />
          <Field
            label={t('email.user')}
            autoComplete="off"
            spellCheck={false}
            hint={t('email.userHint')}
            {...register('user')}
            error={errors.user?.message}
          />
          <Field
            label={t('email.password')}
            type="password"
            autoComplete="new-password"
            hint={storedSecretHint(t, 'password', config.passwordSet, config.passwordStore)}
            {...register('password')}
            error={errors.password?.message}
          />
          <Field
            label={t('email.from')}
            spellCheck={false}
            hint={t('email.fromHint')}
            {...register('from')}
            error={errors.from?.message}
          />
        </>
      )}
      <Field
        label={t('email.accountName')}
        hint={t('email.accountNameHint')}
        {...register('accountName')}
        error={errors.accountName?.message}
      />
      <div className="form-actions">
        <Button type="submit" busy={configure.isPending} disabled={!formState.isDirty}>
          {t('email.save')}
        </Button>
      </div>
    </form>
  )
}

const mono = { mono: <span className="mono" /> }

function TestResult({ entry }: { entry: EmailOutboxEntryDto }) {
  const { t } = useTranslation('settings')
  const to = (
    <>
      <Trans t={t} i18nKey="email.testTo" values={{ to: entry.to }} components={mono} />{' '}
      <EmailStatusBadge entry={entry} />
    </>
  )
  if (entry.status === 'failed') {
    return (
      <Alert>
        {to} <Trans t={t} i18nKey="email.refused" values={{ error: entry.lastError }} components={mono} />
      </Alert>
    )
  }
  if (entry.status === 'queued' || entry.status === 'sending') {
    return (
      <div role="status" className="alert alert-warning">
        {to}{' '}
        {entry.lastError && (
          <>
            <Trans t={t} i18nKey="email.notYet" values={{ error: entry.lastError }} components={mono} />{' '}
          </>
        )}
        {entry.nextAttemptAt !== null && t('email.retryAt', { at: time(entry.nextAttemptAt) })}
      </div>
    )
  }
  return (
    <Notice>
      {to} {entry.provider === 'outbox' ? t('email.keptLocally') : t('email.accepted')}
    </Notice>
  )
}

const checkTestAddress = (t: SettingsT, to: string): TestRecipient => {
  const checked = emailSchema.safeParse(to)
  return checked.success
    ? { to: checked.data }
    : { error: checked.error.issues[0]?.message ?? t('email.validAddress') }
}

function SendTestEmailForm() {
  const { t } = useTranslation('settings')
  return (
    <SendTestForm
      name={t('email.test')}
      send={useSendTestEmail()}
      check={(to) => checkTestAddress(t, to)}
      field={{ label: t('email.sendTo'), type: 'email', hint: t('email.sendToHint') }}
      result={(entry) => <TestResult entry={entry} />}
    />
  )
}

/** What an admin sees: where email goes now, without a way to change it (that is the owner's). */
function EmailConfigSummary({ config }: { config: EmailConfigDto }) {
  const { t } = useTranslation('settings')
  return (
    <>
      <p className="muted">{t('email.ownerOnly')}</p>
      <dl className="facts">
        <dt>{t('email.provider')}</dt>
        <dd>{config.provider === 'smtp' ? t('email.smtp') : t('email.localNotSent')}</dd>
        {config.provider === 'smtp' && (
          <>
            <dt>{t('email.host')}</dt>
            <dd className="mono">
              {config.host ?? '—'}
              {config.port !== null && `:${config.port}`}
            </dd>
            <dt>{t('email.security')}</dt>
            <dd>{t(`email.tls.${config.tls}`)}</dd>
            <dt>{t('email.user')}</dt>
            <dd className="mono">{config.user ?? t('email.noUser')}</dd>
            <dt>{t('email.from')}</dt>
            <dd className="mono">{config.from ?? '—'}</dd>
          </>
        )}
        <dt>{t('email.accountName')}</dt>
        <dd>{config.accountName ?? t('email.defaultAccount')}</dd>
      </dl>
    </>
  )
}

export function EmailSettings({ owner }: { owner: boolean }) {
  const { t } = useTranslation('settings')
  const config = useEmailConfig()
  return (
    <>
      <Panel title={t('email.form')}>
        {config.isPending && <p className="muted">{t('loading')}</p>}
        {config.isError && <Alert>{messageOf(config.error)}</Alert>}
        {config.data &&
          (owner ? <EmailConfigForm config={config.data} /> : <EmailConfigSummary config={config.data} />)}
      </Panel>
      {owner && (
        <Panel title={t('email.test')}>
          <p className="muted">{t('email.testIntro')}</p>
          <SendTestEmailForm />
        </Panel>
      )}
    </>
  )
}
