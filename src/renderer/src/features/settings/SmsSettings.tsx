import { zodResolver } from '@hookform/resolvers/zod'
import { useState } from 'react'
import { useForm } from 'react-hook-form'
import type { SmsConfigDto, SmsOutboxEntryDto } from '../../../../shared/dto'
import type { SmsConfigureInput } from '../../../../shared/schemas'
import { messageOf } from '../../api'
import { applyServerError } from '../../forms'
import { Alert, Notice } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { Field } from '../../ui/Field'
import { Panel } from '../../ui/Layout'
import { RadioChoices, type RadioChoice } from '../../ui/RadioChoices'
import { SendTestForm, storedSecretHint, type TestRecipient } from './providerParts'
import { smsFormFields, smsFormSchema, toSmsForm, type SmsFormInput } from './smsForm'
import { useConfigureSms, useSendTestSms, useSmsConfig } from './smsQueries'
import { StatusBadge } from './SmsOutbox'

const providerChoices: RadioChoice[] = [
  {
    value: 'outbox',
    label: 'Local outbox',
    hint: 'Messages are kept here and not sent. The default until Twilio is set up.',
  },
  { value: 'twilio', label: 'Twilio', hint: 'Messages are sent through your Twilio account.' },
]

const senderChoices: RadioChoice[] = [
  { value: 'from', label: 'A phone number' },
  { value: 'messagingService', label: 'A Messaging Service' },
]

function SmsConfigForm({ config }: { config: SmsConfigDto }) {
  const configure = useConfigureSms()
  const [alert, setAlert] = useState<string | null>(null)
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

  const onSubmit = handleSubmit(async (input) => {
    setAlert(null)
    try {
      // The token box empties after a save: the token is kept, never shown again.
      reset(toSmsForm(await configure.mutateAsync(input)))
    } catch (e) {
      setAlert(applyServerError(e, setError, smsFormFields))
    }
  })

  return (
    <form onSubmit={onSubmit} noValidate className="form form-wide" aria-label="SMS provider">
      <Alert>{alert}</Alert>
      <Notice>{configure.isSuccess && !formState.isDirty ? 'SMS settings saved.' : null}</Notice>
      <RadioChoices legend="Provider" choices={providerChoices} registration={register('provider')} />
      {provider === 'twilio' && (
        <>
          <Field
            label="Account SID"
            autoComplete="off"
            spellCheck={false}
            hint="AC followed by 32 hexadecimal digits, from the Twilio console."
            {...register('accountSid')}
            error={errors.accountSid?.message}
          />
          <Field
            label="Auth token"
            type="password"
            autoComplete="new-password"
            hint={storedSecretHint('token', config.authTokenSet, config.authTokenStore)}
            {...register('authToken')}
            error={errors.authToken?.message}
          />
          <RadioChoices legend="Send from" choices={senderChoices} registration={register('sender')}>
            {sender === 'from' ? (
              <Field
                label="From number"
                type="tel"
                hint="A Twilio number in international format, e.g. +34 612 345 678."
                {...register('from')}
                error={errors.from?.message}
              />
            ) : (
              <Field
                label="Messaging Service SID"
                autoComplete="off"
                spellCheck={false}
                hint="MG followed by 32 hexadecimal digits."
                {...register('messagingServiceSid')}
                error={errors.messagingServiceSid?.message}
              />
            )}
          </RadioChoices>
          <Field
            label="API base URL"
            type="url"
            spellCheck={false}
            hint="Twilio’s own is https://api.twilio.com. Change it only for a proxy."
            {...register('apiBaseUrl')}
            error={errors.apiBaseUrl?.message}
          />
        </>
      )}
      <div className="form-actions">
        <Button type="submit" busy={configure.isPending} disabled={!formState.isDirty}>
          Save SMS settings
        </Button>
      </div>
    </form>
  )
}

function TestResult({ entry }: { entry: SmsOutboxEntryDto }) {
  const body = (
    <>
      Test message to <span className="mono">{entry.to}</span>: <StatusBadge entry={entry} />
      {entry.provider === 'outbox' && ' Nothing leaves this machine until Twilio is set up.'}
      {entry.lastError && ` ${entry.lastError}`}
    </>
  )
  return entry.status === 'failed' ? <Alert>{body}</Alert> : <Notice>{body}</Notice>
}

const checkTestNumber = (to: string): TestRecipient =>
  to.trim() === '' ? { error: 'Enter the number to send the test message to.' } : { to: to.trim() }

function SendTestSmsForm() {
  return (
    <SendTestForm
      name="Send a test message"
      send={useSendTestSms()}
      check={checkTestNumber}
      field={{ label: 'Phone number', type: 'tel', hint: 'In international format, e.g. +34 612 345 678.' }}
      result={(entry) => <TestResult entry={entry} />}
    />
  )
}

/** What an admin sees: where SMS go now, without a way to change it (that is the owner's). */
function SmsConfigSummary({ config }: { config: SmsConfigDto }) {
  return (
    <>
      <p className="muted">
        Only an owner can change where SMS go: every login and recovery code, and Twilio&apos;s token, follow
        these settings.
      </p>
      <dl className="facts">
        <dt>Provider</dt>
        <dd>{config.provider === 'twilio' ? 'Twilio' : 'Local outbox (not sent)'}</dd>
        {config.provider === 'twilio' && (
          <>
            <dt>Account SID</dt>
            <dd className="mono">{config.accountSid ?? '—'}</dd>
            <dt>{config.messagingServiceSid ? 'Messaging service' : 'From'}</dt>
            <dd className="mono">{config.messagingServiceSid ?? config.from ?? '—'}</dd>
            <dt>API base URL</dt>
            <dd className="mono">{config.apiBaseUrl}</dd>
          </>
        )}
      </dl>
    </>
  )
}

export function SmsSettings({ owner }: { owner: boolean }) {
  const config = useSmsConfig()
  return (
    <>
      <Panel title="SMS provider">
        {config.isPending && <p className="muted">Loading…</p>}
        {config.isError && <Alert>{messageOf(config.error)}</Alert>}
        {config.data &&
          (owner ? <SmsConfigForm config={config.data} /> : <SmsConfigSummary config={config.data} />)}
      </Panel>
      {owner && (
        <Panel title="Send a test message">
          <p className="muted">
            Sends a short message through the provider saved above and shows what happened.
          </p>
          <SendTestSmsForm />
        </Panel>
      )}
    </>
  )
}
