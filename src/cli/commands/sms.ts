import type { SmsOutboxEntryDto } from '../../shared/dto'
import { smsConfigureInputSchema, smsOutboxInputSchema, smsProviders } from '../../shared/schemas'
import { stringOption, type Command, type CommandGroup } from '../command'
import { CliError, usageError } from '../errors'
import { operator } from '../operator'
import { readOptionalSecret } from '../secrets'
import { validated } from '../validate'
import { PASSPHRASE_ENV } from './users'
import { textTable } from '../output'

export const smsGroup: CommandGroup = {
  name: 'sms',
  summary: 'Choose the SMS provider (Twilio or the local outbox), send a test message, list the outbox',
}

const time = (t: number | null): string => (t === null ? '-' : new Date(t).toISOString())

export const smsConfigCommand: Command = {
  path: ['sms', 'config'],
  summary: "Choose the SMS provider and save Twilio's settings (the auth token is read from stdin)",
  usage:
    'sms config --provider twilio|outbox [--account-sid SID] [--from +E164 | --messaging-service-sid MG…] [--api-base-url URL]',
  options: {
    provider: {
      type: 'string',
      valueName: 'PROVIDER',
      description: 'twilio, or outbox (messages are only stored and listed locally)',
      required: true,
      choices: smsProviders,
    },
    'account-sid': { type: 'string', valueName: 'SID', description: "Twilio's Account SID (AC…)" },
    from: { type: 'string', valueName: '+E164', description: 'The Twilio number messages come from' },
    'messaging-service-sid': {
      type: 'string',
      valueName: 'MG…',
      description: 'A Twilio Messaging Service to send through, instead of --from',
    },
    'api-base-url': {
      type: 'string',
      valueName: 'URL',
      description: "Twilio's API base URL (default https://api.twilio.com): a proxy, or a local test server",
    },
  },
  stdin:
    'with --provider twilio, the auth token on the first line (on a terminal it is asked without echo); empty keeps the one already stored',
  env: [PASSPHRASE_ENV],
  examples: [
    'printf \'%s\\n\' "$TWILIO_AUTH_TOKEN" | tessera sms config --provider twilio --account-sid AC… --from +15005550006',
    'tessera sms config --provider outbox',
  ],
  async run(ctx, values) {
    const provider = stringOption(values, 'provider')
    const authToken = provider === 'twilio' ? await readOptionalSecret('Twilio auth token') : undefined
    const input = validated(
      smsConfigureInputSchema,
      {
        provider,
        accountSid: stringOption(values, 'account-sid'),
        from: stringOption(values, 'from'),
        messagingServiceSid: stringOption(values, 'messaging-service-sid'),
        apiBaseUrl: stringOption(values, 'api-base-url'),
        authToken,
      },
      'sms config',
    )
    const config = await ctx.withServices((s) => s.sms.configure(input, operator(s).id))
    return {
      data: config,
      text: [
        `SMS provider  ${config.provider}`,
        ...(config.provider === 'twilio'
          ? [
              `Account SID   ${config.accountSid ?? '-'}`,
              config.messagingServiceSid
                ? `Messaging     ${config.messagingServiceSid}`
                : `From          ${config.from ?? '-'}`,
              `API base URL  ${config.apiBaseUrl}`,
              `Auth token    ${config.authTokenSet ? `stored (${config.authTokenStore})` : 'missing'}`,
            ]
          : []),
      ],
    }
  },
}

export const smsTestCommand: Command = {
  path: ['sms', 'test'],
  summary: 'Send a test message now through the configured provider and say how it went',
  usage: 'sms test --to NUMBER',
  options: {
    to: {
      type: 'string',
      valueName: 'NUMBER',
      description: 'The phone number, with its country code (+34 612 345 678)',
      required: true,
    },
  },
  env: [PASSPHRASE_ENV],
  examples: ['tessera sms test --to +34612345678', 'tessera sms test --to "+1 415 555 0123" --json'],
  async run(ctx, values) {
    const to = stringOption(values, 'to') ?? ''
    const entry = await ctx.withServices((s) => s.sms.sendTest(to, operator(s).id))
    if (entry.status !== 'sent' && entry.status !== 'delivered') {
      const message =
        entry.status === 'failed'
          ? `The test message to ${entry.to} was not sent: ${entry.lastError ?? 'refused'}.`
          : `The test message to ${entry.to} is not sent yet (${entry.lastError ?? 'waiting'}); it stays queued and is retried.`
      throw new CliError('SMS_NOT_SENT', entry.status.toUpperCase(), message, { sms: entry })
    }
    return {
      data: entry,
      text: [
        `Sent a test message to ${entry.to} through ${entry.provider ?? '-'}${entry.providerSid ? ` (SID ${entry.providerSid})` : ''}.`,
      ],
    }
  },
}

function outboxTable(messages: SmsOutboxEntryDto[]): string[] {
  const rows = messages.map((m) => [
    String(m.id),
    time(m.createdAt),
    m.to,
    m.kind,
    m.status,
    String(m.attempts),
    m.lastError ?? '',
    m.text,
  ])
  const header = ['ID', 'CREATED', 'TO', 'KIND', 'STATUS', 'TRIES', 'LAST ERROR', 'TEXT']
  return textTable(header, rows)
}

export const smsOutboxCommand: Command = {
  path: ['sms', 'outbox'],
  summary: 'List the SMS outbox, newest first: masked numbers, status, attempts, last error; codes hidden',
  usage: 'sms outbox [--deliver] [--limit N] [--before ID]',
  options: {
    deliver: {
      type: 'boolean',
      description:
        "First do the desktop app's worker step: send the messages that are due, and ask Twilio what became of sent ones (for headless machines: run it from cron)",
    },
    limit: { type: 'string', valueName: 'N', description: 'Messages per page, 1-500 (default 50)' },
    before: { type: 'string', valueName: 'ID', description: 'Messages older than this id (the next page)' },
  },
  env: [PASSPHRASE_ENV],
  examples: ['tessera sms outbox', 'tessera sms outbox --limit 10 --json', 'tessera sms outbox --deliver'],
  async run(ctx, values) {
    const number = (name: string): number | undefined => {
      const v = stringOption(values, name)
      if (v !== undefined && !/^\d+$/.test(v))
        throw usageError('INVALID_VALUE', `--${name} must be a number.`)
      return v === undefined ? undefined : Number(v)
    }
    const query = validated(
      smsOutboxInputSchema,
      { limit: number('limit'), before: number('before') },
      'sms outbox',
    )
    const deliver = values['deliver'] === true
    const { page, delivered, statuses } = await ctx.withServices(async (s) => {
      const delivered = deliver ? await s.sms.deliverDue({ max: 500 }) : null
      const statuses = deliver ? await s.sms.refreshStatuses({ max: 500 }) : null
      return { page: s.sms.listOutbox(query), delivered, statuses }
    })
    return {
      data: delivered ? { ...page, delivered, statuses } : page,
      text: [
        ...(delivered && statuses
          ? [
              `Delivery: ${delivered.sent} sent, ${delivered.retrying} to retry later, ${delivered.failed} failed; ` +
                `${statuses.checked} delivery statuses checked, ${statuses.undelivered} not delivered.`,
              '',
            ]
          : []),
        ...(page.messages.length ? outboxTable(page.messages) : ['The outbox is empty.']),
        ...(page.nextBefore !== null ? ['', `More: --before ${page.nextBefore}`] : []),
      ],
    }
  },
}
