import type { SmsOutboxEntryDto } from '../../shared/dto'
import { smsConfigureInputSchema, smsOutboxInputSchema, smsProviders } from '../../shared/schemas'
import { stringOption, type Command, type CommandGroup } from '../command'
import { CliError, usageError } from '../errors'
import { ACTOR_STDIN, actingAs, actorFlag, actorOptions } from '../actor'
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
    'sms config --provider twilio|outbox (--as EMAIL | --key-holder) [--account-sid SID] [--from +E164 | --messaging-service-sid MG…] [--api-base-url URL]',
  options: {
    ...actorOptions,
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
      description:
        "Twilio's API base URL (default https://api.twilio.com): https, or http to this machine only (a local proxy or test server)",
    },
  },
  stdin: `${ACTOR_STDIN}; then, with --provider twilio, the auth token on the next line (asked without echo on a terminal): empty keeps the stored one, which is required again to change the API base URL or the Account SID`,
  env: [PASSPHRASE_ENV],
  examples: [
    'printf \'%s\\n%s\\n%s\\n\' "$PASSWORD" "$APP_CODE" "$TWILIO_AUTH_TOKEN" | tessera sms config --provider twilio --account-sid AC… --from +15005550006 --as ada@example.com',
    'printf \'%s\\n%s\\n\' "$PASSWORD" "$APP_CODE" | tessera sms config --provider outbox --as ada@example.com',
  ],
  async run(ctx, values) {
    const flag = actorFlag(values)
    const provider = stringOption(values, 'provider')
    const input = (authToken?: string) =>
      validated(
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
    // Everything in argv is checked before anything is opened or read.
    input()
    const config = await ctx.withServices(async (s) => {
      const actor = await actingAs(ctx, s, flag, 'settings.protective')
      const authToken = provider === 'twilio' ? await readOptionalSecret('Twilio auth token') : undefined
      return await s.settings.configureSms(input(authToken), actor, ctx.client)
    })
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
  usage: 'sms test --to NUMBER (--as EMAIL | --key-holder)',
  options: {
    ...actorOptions,
    to: {
      type: 'string',
      valueName: 'NUMBER',
      description: 'The phone number, with its country code (+34 612 345 678)',
      required: true,
    },
  },
  stdin: ACTOR_STDIN,
  env: [PASSPHRASE_ENV],
  examples: [
    `printf '%s\\n%s\\n' "$PASSWORD" "$APP_CODE" | tessera sms test --to +34612345678 --as ada@example.com`,
    `... | tessera sms test --to "+1 415 555 0123" --json --as ada@example.com`,
  ],
  async run(ctx, values) {
    const flag = actorFlag(values)
    const to = stringOption(values, 'to') ?? ''
    const entry = await ctx.withServices(async (s) =>
      s.settings.sendTestSms(to, await actingAs(ctx, s, flag, 'settings.protective')),
    )
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

function deliveryLines(
  delivered: { sent: number; retrying: number; failed: number },
  statuses: { checked: number; undelivered: number },
): string[] {
  return [
    `Delivery: ${delivered.sent} sent, ${delivered.retrying} to retry later, ${delivered.failed} failed; ` +
      `${statuses.checked} delivery statuses checked, ${statuses.undelivered} not delivered.`,
  ]
}

export const smsOutboxCommand: Command = {
  path: ['sms', 'outbox'],
  summary: 'List the SMS outbox, newest first: masked numbers, status, attempts, last error; codes hidden',
  usage:
    'sms outbox (--as EMAIL | --key-holder) [--deliver] [--limit N] [--before ID] | sms outbox --deliver',
  options: {
    ...actorOptions,
    deliver: {
      type: 'boolean',
      description:
        "First do the desktop app's worker step: send the messages that are due, and ask Twilio what became of sent ones (for headless machines: run it from cron). Alone, without --as, it only prints what it did: the worker acts for nobody",
    },
    limit: { type: 'string', valueName: 'N', description: 'Messages per page, 1-500 (default 50)' },
    before: { type: 'string', valueName: 'ID', description: 'Messages older than this id (the next page)' },
  },
  stdin: ACTOR_STDIN,
  env: [PASSPHRASE_ENV],
  examples: [
    `printf '%s\\n%s\\n' "$PASSWORD" "$APP_CODE" | tessera sms outbox --as ada@example.com`,
    `... | tessera sms outbox --limit 10 --json --as ada@example.com`,
    'tessera sms outbox --deliver',
  ],
  async run(ctx, values) {
    const deliverOnly = values['deliver'] === true && values.as === undefined && values['key-holder'] !== true
    const flag = deliverOnly ? undefined : actorFlag(values)
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
      if (flag) await actingAs(ctx, s, flag, 'settings.read')
      const delivered = deliver ? await s.sms.deliverDue({ max: 500 }) : null
      const statuses = deliver ? await s.sms.refreshStatuses({ max: 500 }) : null
      return { page: flag ? await s.sms.listOutbox(query) : null, delivered, statuses }
    })
    if (!page) return { data: { delivered, statuses }, text: deliveryLines(delivered!, statuses!) }
    return {
      data: delivered ? { ...page, delivered, statuses } : page,
      text: [
        ...(delivered && statuses ? [...deliveryLines(delivered, statuses), ''] : []),
        ...(page.messages.length ? outboxTable(page.messages) : ['The outbox is empty.']),
        ...(page.nextBefore !== null ? ['', `More: --before ${page.nextBefore}`] : []),
      ],
    }
  },
}
