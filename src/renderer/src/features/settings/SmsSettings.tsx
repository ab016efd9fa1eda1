import { zodResolver } from '@hookform/resolvers/zod'
import { useForm } from 'react-hook-form'
import { Trans, useTranslation } from 'react-i18next'
import type { SmsConfigDto, SmsOutboxEntryDto } from '../../../../shared/dto'
import type { SmsConfigureInput } from '../../../../shared/schemas'
import { messageOf } from '../../api'
import { useServerError } from '../../forms'
import { Alert, Notice } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { Field } from '../../ui/Field'
import { Panel } from '../../ui/Layout'
import { RadioChoices, type RadioChoice } from '../../ui/RadioChoices'
import { SendTestForm, storedSecretHint, type SettingsT, type TestRecipient } from './providerParts'
import { smsFormFields, smsFormSchema, toSmsForm, type SmsFormInput } from './smsForm'
import { useConfigureSms, useSendTestSms, useSmsConfig } from './smsQueries'
import { StatusBadge } from './SmsOutbox'

const providerChoices = (t: SettingsT): RadioChoice[] => [
  { value: 'outbox', label: t('sms.outbox'), hint: t('sms.outboxHint') },
  { value: 'twilio', label: t('sms.twilio'), hint: t('sms.twilioHint') },
]

const senderChoices = (t: SettingsT): RadioChoice[] => [
  { value: 'from', label: t('sms.fromNumber') },
  { value: 'messagingService', label: t('sms.fromService') },
]

function SmsConfigForm({ config }: { config: SmsConfigDto }) {
  const { t } = useTranslation('settings')
  const configure = useConfigureSms()
  const { register, handleSubmit, formState, setError, reset, watch } = useForm<
    SmsFormInput,
    unknown,
    SmsConfigureInput
  >({
    resolver: zodResolver(smsFormSchema),
    defaultValues: toSmsForm(config),
  })
  const errors = formState.errors
  const provider = watch('provider')
  const sender = watch('sender')
  const { error, submit } = useServerError(setError, smsFormFields)

  const onSubmit = handleSubmit(async (input) => {
    // The token box empties after a save: the token is kept, never shown again.
    await submit(async () => reset(toSmsForm(await configure.mutateAsync(input))))
  })

  return (
    <form onSubmit={onSubmit} noValidate className="form form-wide" aria-label={t('sms.form')}>
      <Alert>{error}</Alert>
      <Notice>{configure.isSuccess && !formState.isDirty ? t('sms.saved') : null}</Notice>
      <RadioChoices
        legend={t('sms.provider')}
        choices={providerChoices(t)}
        registration={register('provider')}
      />
      {provider === 'twilio' && (
        <>
          <Field
            label={t('sms.accountSid')}
            autoComplete="off"
            spellCheck={false}
            hint={t('sms.accountSidHint')}
            {...register('accountSid')}
            error={errors.accountSid?.message}
          />
          <Field
            label={t('sms.authToken')}
            type="password"
            autoComplete="new-password"
            hint={storedSecretHint(t, 'token', config.authTokenSet, config.authTokenStore)}
            {...register('authToken')}
            error={errors.authToken?.message}
          />
          <RadioChoices
            legend={t('sms.sendFrom')}
            choices={senderChoices(t)}
            registration={register('sender')}
          >
            {sender === 'from' ? (
              <Field
                label={t('sms.from')}
                type="tel"
                hint={t('sms.fromHint')}
                {...register('from')}
                error={errors.from?.message}
              />
            ) : (
              <Field
                label={t('sms.serviceSid')}
                autoComplete="off"
                spellCheck={false}
                hint={t('sms.serviceSidHint')}
                {...register('messagingServiceSid')}
                error={errors.messagingServiceSid?.message}
              />
            )}
          </RadioChoices>
          <Field
            label={t('sms.apiBaseUrl')}
            type="url"
            spellCheck={false}
            hint={t('sms.apiBaseUrlHint')}
            {...register('apiBaseUrl')}
            error={errors.apiBaseUrl?.message}
          />
        </>
      )}
      <div className="form-actions">
        <Button type="submit" busy={configure.isPending} disabled={!formState.isDirty}>
          {t('sms.save')}
        </Button>
      </div>
    </form>
  )
}

function TestResult({ entry }: { entry: SmsOutboxEntryDto }) {
  const { t } = useTranslation('settings')
  const body = (
    <>
      <Trans
        t={t}
        i18nKey="sms.testTo"
        values={{ to: entry.to }}
        components={{ mono: <span className="mono" /> }}
      />{' '}
      <StatusBadge entry={entry} />
      {entry.provider === 'outbox' && ` ${t('sms.staysHere')}`}
      {entry.lastError && ` ${entry.lastError}`}
    </>
  )
  return entry.status === 'failed' ? <Alert>{body}</Alert> : <Notice>{body}</Notice>
}

function SendTestSmsForm() {
  const { t } = useTranslation('settings')
  const checkTestNumber = (to: string): TestRecipient =>
    to.trim() === '' ? { error: t('sms.enterNumber') } : { to: to.trim() }
  return (
    <SendTestForm
      name={t('sms.test')}
      send={useSendTestSms()}
      check={checkTestNumber}
      field={{ label: t('sms.phone'), type: 'tel', hint: t('sms.phoneHint') }}
      result={(entry) => <TestResult entry={entry} />}
    />
  )
}

/** What an admin sees: where SMS go now, without a way to change it (that is the owner's). */
function SmsConfigSummary({ config }: { config: SmsConfigDto }) {
  const { t } = useTranslation('settings')
  return (
    <>
      <p className="muted">{t('sms.ownerOnly')}</p>
      <dl className="facts">
        <dt>{t('sms.provider')}</dt>
        <dd>{config.provider === 'twilio' ? t('sms.twilio') : t('sms.localNotSent')}</dd>
        {config.provider === 'twilio' && (
          <>
            <dt>{t('sms.accountSid')}</dt>
            <dd className="mono">{config.accountSid ?? '—'}</dd>
            <dt>{config.messagingServiceSid ? t('sms.messagingService') : t('sms.fromShort')}</dt>
            <dd className="mono">{config.messagingServiceSid ?? config.from ?? '—'}</dd>
            <dt>{t('sms.apiBaseUrl')}</dt>
            <dd className="mono">{config.apiBaseUrl}</dd>
          </>
        )}
      </dl>
    </>
  )
}

export function SmsSettings({ owner }: { owner: boolean }) {
  const { t } = useTranslation('settings')
  const config = useSmsConfig()
  return (
    <>
      <Panel title={t('sms.form')}>
        {config.isPending && <p className="muted">{t('loading')}</p>}
        {config.isError && <Alert>{messageOf(config.error)}</Alert>}
        {config.data &&
          (owner ? <SmsConfigForm config={config.data} /> : <SmsConfigSummary config={config.data} />)}
      </Panel>
      {owner && (
        <Panel title={t('sms.test')}>
          <p className="muted">{t('sms.testIntro')}</p>
          <SendTestSmsForm />
        </Panel>
      )}
    </>
  )
}
