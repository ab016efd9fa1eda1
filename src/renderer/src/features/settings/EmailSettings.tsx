import { zodResolver } from '@hookform/resolvers/zod'
import { useState } from 'react'
import { useForm } from 'react-hook-form'
import type { EmailConfigDto, EmailOutboxEntryDto } from '../../../../shared/dto'
import { emailSchema, type EmailConfigureInput, type EmailTlsModeName } from '../../../../shared/schemas'
import { messageOf } from '../../api'
import { applyServerError } from '../../forms'
import { Alert, Notice } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { Field } from '../../ui/Field'
import { Panel } from '../../ui/Layout'
import { RadioChoices, type RadioChoice } from '../../ui/RadioChoices'
import { emailFormFields, emailFormSchema, toEmailForm, type EmailFormInput } from './emailForm'
import { EmailStatusBadge } from './EmailOutbox'
import { useConfigureEmail, useEmailConfig, useSendTestEmail } from './emailQueries'
import { time } from './OutboxPanel'
import { SendTestForm, storedSecretHint, type TestRecipient } from './providerParts'

const tlsLabel: Record<EmailTlsModeName, string> = {
  implicit: 'Implicit TLS',
  starttls: 'STARTTLS required',
  none: 'None (this machine only)',
}

const providerChoices: RadioChoice[] = [
  {
    value: 'outbox',
    label: 'Local outbox',
    hint: 'Messages are kept here and not sent. Invitation and reset codes are then shown to the administrator instead.',
  },
  { value: 'smtp', label: 'SMTP server', hint: 'Messages are sent through your mail server.' },
]

const tlsChoices: RadioChoice[] = [
  {
    value: 'implicit',
    label: tlsLabel.implicit,
    hint: 'TLS from the first byte (SMTPS, usually port 465).',
  },
  {
    value: 'starttls',
    label: tlsLabel.starttls,
    hint: 'Plain at first, then TLS; nothing is sent if the server does not offer it (usually port 587).',
  },
  {
    value: 'none',
    label: tlsLabel.none,
    hint: 'Plain SMTP, only to a relay on this machine (localhost, 127.0.0.1, ::1).',
  },
]

function EmailConfigForm({ config }: { config: EmailConfigDto }) {
  const configure = useConfigureEmail()
  const [alert, setAlert] = useState<string | null>(null)
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

  const onSubmit = handleSubmit(async (input) => {
    setAlert(null)
    try {
      // The password box empties after a save: the password is kept, never shown again.
      reset(toEmailForm(await configure.mutateAsync(input)))
    } catch (e) {
      setAlert(applyServerError(e, setError, emailFormFields))
    }
  })

  return (
    <form onSubmit={onSubmit} noValidate className="form form-wide" aria-label="Email provider">
      <Alert>{alert}</Alert>
      <Notice>{configure.isSuccess && !formState.isDirty ? 'Email settings saved.' : null}</Notice>
      <RadioChoices legend="Provider" choices={providerChoices} registration={register('provider')} />
      {provider === 'smtp' && (
        <>
          <Field
            label="Host"
            autoComplete="off"
            spellCheck={false}
            hint="The SMTP server's name or IP address, e.g. smtp.example.com."
            {...register('host')}
            error={errors.host?.message}
          />
          <Field
            label="Port"
            inputMode="numeric"
            autoComplete="off"
            hint="Usually 465 for implicit TLS and 587 for STARTTLS. Empty: the usual one."
            {...register('port')}
            error={errors.port?.message}
          />
          <RadioChoices
            legend="Connection security"
            choices={tlsChoices}
            registration={register('tls')}
            error={errors.tls?.message}
          />
          <Field
            label="User name"
            autoComplete="off"
            spellCheck={false}
            hint="Empty when the server needs no sign-in."
            {...register('user')}
            error={errors.user?.message}
          />
          <Field
            label="Password"
            type="password"
            autoComplete="new-password"
            hint={storedSecretHint('password', config.passwordSet, config.passwordStore)}
            {...register('password')}
            error={errors.password?.message}
          />
          <Field
            label="From address"
            spellCheck={false}
            hint="An address, or a name and an address: Acme IT <it@acme.example>."
            {...register('from')}
            error={errors.from?.message}
          />
        </>
      )}
      <Field
        label="Account name"
        hint="The name messages speak for, e.g. Acme Ltd. Empty: Tessera."
        {...register('accountName')}
        error={errors.accountName?.message}
      />
      <div className="form-actions">
        <Button type="submit" busy={configure.isPending} disabled={!formState.isDirty}>
          Save email settings
        </Button>
      </div>
    </form>
  )
}

function TestResult({ entry }: { entry: EmailOutboxEntryDto }) {
  const to = <span className="mono">{entry.to}</span>
  if (entry.status === 'failed') {
    return (
      <Alert>
        Test email to {to}: <EmailStatusBadge entry={entry} /> The server refused it:{' '}
        <span className="mono">{entry.lastError}</span>
      </Alert>
    )
  }
  if (entry.status === 'queued' || entry.status === 'sending') {
    return (
      <div role="status" className="alert alert-warning">
        Test email to {to}: <EmailStatusBadge entry={entry} />{' '}
        {entry.lastError && (
          <>
            The server did not take it yet: <span className="mono">{entry.lastError}</span>.{' '}
          </>
        )}
        {entry.nextAttemptAt !== null && `Tessera tries again at ${time(entry.nextAttemptAt)}.`}
      </div>
    )
  }
  return (
    <Notice>
      Test email to {to}: <EmailStatusBadge entry={entry} />
      {entry.provider === 'outbox' ? ' Kept in the local outbox, not sent.' : ' The server accepted it.'}
    </Notice>
  )
}

const checkTestAddress = (to: string): TestRecipient => {
  const checked = emailSchema.safeParse(to)
  return checked.success
    ? { to: checked.data }
    : { error: checked.error.issues[0]?.message ?? 'Enter a valid email address' }
}

function SendTestEmailForm() {
  return (
    <SendTestForm
      name="Send a test email"
      send={useSendTestEmail()}
      check={checkTestAddress}
      field={{ label: 'Send to', type: 'email', hint: 'The address to send the test email to.' }}
      result={(entry) => <TestResult entry={entry} />}
    />
  )
}

/** What an admin sees: where email goes now, without a way to change it (that is the owner's). */
function EmailConfigSummary({ config }: { config: EmailConfigDto }) {
  return (
    <>
      <p className="muted">
        Only an owner can change where email goes: invitation and password reset codes, and the SMTP password,
        follow these settings.
      </p>
      <dl className="facts">
        <dt>Provider</dt>
        <dd>{config.provider === 'smtp' ? 'SMTP server' : 'Local outbox (not sent)'}</dd>
        {config.provider === 'smtp' && (
          <>
            <dt>Host</dt>
            <dd className="mono">
              {config.host ?? '—'}
              {config.port !== null && `:${config.port}`}
            </dd>
            <dt>Connection security</dt>
            <dd>{tlsLabel[config.tls]}</dd>
            <dt>User name</dt>
            <dd className="mono">{config.user ?? 'None'}</dd>
            <dt>From address</dt>
            <dd className="mono">{config.from ?? '—'}</dd>
          </>
        )}
        <dt>Account name</dt>
        <dd>{config.accountName ?? 'Tessera'}</dd>
      </dl>
    </>
  )
}

export function EmailSettings({ owner }: { owner: boolean }) {
  const config = useEmailConfig()
  return (
    <>
      <Panel title="Email provider">
        {config.isPending && <p className="muted">Loading…</p>}
        {config.isError && <Alert>{messageOf(config.error)}</Alert>}
        {config.data &&
          (owner ? <EmailConfigForm config={config.data} /> : <EmailConfigSummary config={config.data} />)}
      </Panel>
      {owner && (
        <Panel title="Send a test email">
          <p className="muted">
            Sends a short message through the provider saved above and shows what happened, with the
            server&apos;s reply if it refused.
          </p>
          <SendTestEmailForm />
        </Panel>
      )}
    </>
  )
}
