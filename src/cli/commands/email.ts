import type { EmailConfigDto, EmailOutboxEntryDto } from '../../shared/dto'
import {
  emailConfigureInputSchema,
  emailOutboxInputSchema,
  emailProviders,
  emailSendTestInputSchema,
  emailTlsModes,
  isLoopbackHostName,
  type EmailTlsModeName,
} from '../../shared/schemas'
import type { OptionValues } from '../args'
import { stringOption, type Command, type CommandGroup } from '../command'
import { CliError, usageError } from '../errors'
import { ACTOR_STDIN, actingAs, actorFlag, actorOptions } from '../actor'
import { readOptionalSecret } from '../secrets'
import { validatedOptions } from '../validate'
import { PASSPHRASE_ENV } from './users'
import { textTable } from '../output'
import { notSentLine, SMTP_CA_ENV, time } from './email-format'

export const emailGroup: CommandGroup = {
  name: 'email',
  summary:
    'Choose how email leaves this Tessera (an SMTP server, or the local outbox), send a test message, list the email outbox',
}

const tlsLabel: Record<EmailTlsModeName, string> = {
  implicit: 'implicit TLS',
  starttls: 'STARTTLS (required)',
  none: 'none: plain SMTP, to this machine only',
}

/** Which flag holds each field of the settings, for validation messages. */
const CONFIG_FLAGS = {
  provider: '--provider',
  host: '--smtp-host',
  port: '--smtp-port',
  tls: '--tls',
  user: '--smtp-user',
  from: '--from',
  accountName: '--account-name',
  password: 'the SMTP password on stdin',
}

/** A whole number from a flag (the schema checks its range). */
function numberFlag(values: OptionValues, name: string): number | undefined {
  const v = stringOption(values, name)
  if (v !== undefined && !/^\d+$/.test(v)) throw usageError('INVALID_VALUE', `--${name} must be a number.`)
  return v === undefined ? undefined : Number(v)
}

/** A flag where an empty value means "none": `--smtp-user ''` (no authentication), `--account-name ''`. */
function clearableFlag(values: OptionValues, name: string): string | null | undefined {
  const v = stringOption(values, name)
  if (v === undefined) return undefined
  return v.trim() === '' ? null : v
}

/** Settings → Email as lines: never the password, only whether one is kept and where. */
export function emailConfigLines(c: EmailConfigDto): string[] {
  const smtp = [
    `SMTP server     ${c.host ? `${c.host}:${c.port ?? '-'}` : '-'}`,
    `TLS             ${tlsLabel[c.tls]}`,
    `User            ${c.user ?? 'none (no authentication)'}`,
    `Password        ${c.passwordSet ? `stored (${c.passwordStore === 'keychain' ? 'OS keychain' : 'encrypted database'})` : 'not stored'}`,
    `From            ${c.from ?? '-'}`,
  ]
  return [
    `Email provider  ${c.provider === 'smtp' ? 'smtp' : 'outbox (messages are only stored and listed here: no email leaves this Tessera)'}`,
    ...(c.provider === 'smtp'
      ? smtp
      : c.host
        ? ['', 'Kept for later (not used now):', ...smtp.map((l) => `  ${l}`)]
        : []),
    `Account name    ${c.accountName ?? 'Tessera (the default)'}`,
  ]
}

export const emailConfigCommand: Command = {
  path: ['email', 'config'],
  summary:
    "Choose the email provider and save the SMTP server's settings (the SMTP password is read from stdin)",
  usage:
    'email config --provider smtp|outbox (--as EMAIL | --key-holder) [--smtp-host HOST] [--smtp-port N] [--tls implicit|starttls|none] [--smtp-user USER] [--from ADDRESS] [--account-name NAME]',
  options: {
    ...actorOptions,
    provider: {
      type: 'string',
      valueName: 'PROVIDER',
      description:
        'smtp, or outbox (messages are only stored and listed locally; switching to it keeps the SMTP settings for later)',
      required: true,
      choices: emailProviders,
    },
    'smtp-host': {
      type: 'string',
      valueName: 'HOST',
      description: "The SMTP server's host name or IP address",
    },
    'smtp-port': {
      type: 'string',
      valueName: 'N',
      description: 'Its port (default 465 with --tls implicit, else 587)',
    },
    tls: {
      type: 'string',
      valueName: 'MODE',
      description:
        'implicit (TLS from the first byte, usually port 465), starttls (STARTTLS required, usually 587; the default), or none (plain SMTP: only to this machine, localhost, 127.0.0.1 or ::1)',
      choices: emailTlsModes,
    },
    'smtp-user': {
      type: 'string',
      valueName: 'USER',
      description: "The SMTP user name (--smtp-user '' for a server that takes mail without authentication)",
    },
    from: {
      type: 'string',
      valueName: 'ADDRESS',
      description: "The From address: it@acme.example, or 'Acme IT <it@acme.example>'",
    },
    'account-name': {
      type: 'string',
      valueName: 'NAME',
      description:
        "The name messages speak for, in subjects and signatures (default Tessera; --account-name '' goes back to it)",
    },
  },
  stdin: `${ACTOR_STDIN}; then, with --provider smtp, the SMTP password on the next line (asked without echo on a terminal): empty keeps the stored one, which is required again to change the server or the user`,
  env: [PASSPHRASE_ENV, SMTP_CA_ENV],
  examples: [
    'printf \'%s\\n%s\\n%s\\n\' "$PASSWORD" "$APP_CODE" "$SMTP_PASSWORD" | tessera email config --provider smtp --smtp-host smtp.acme.example --tls starttls --smtp-user tessera@acme.example --from \'Acme IT <it@acme.example>\' --account-name \'Acme IT\' --as ada@example.com',
    'printf \'%s\\n%s\\n\' "$PASSWORD" "$APP_CODE" | tessera email config --provider outbox --as ada@example.com',
  ],
  async run(ctx, values) {
    const flag = actorFlag(values)
    const provider = stringOption(values, 'provider')
    const input = (password?: string) =>
      validatedOptions(
        emailConfigureInputSchema,
        {
          provider,
          host: stringOption(values, 'smtp-host'),
          port: numberFlag(values, 'smtp-port'),
          tls: stringOption(values, 'tls'),
          user: clearableFlag(values, 'smtp-user'),
          from: stringOption(values, 'from'),
          accountName: clearableFlag(values, 'account-name'),
          password,
        },
        CONFIG_FLAGS,
        'email config',
      )
    // Everything in argv is checked before anything is opened or read.
    const host = stringOption(values, 'smtp-host')
    if (stringOption(values, 'tls') === 'none' && host !== undefined && !isLoopbackHostName(host)) {
      throw usageError(
        'INVALID_VALUE',
        '--tls none: plain SMTP (no TLS) is allowed only to this machine (localhost, 127.0.0.1, ::1), since messages carry codes: choose --tls starttls or implicit.',
      )
    }
    input()
    const config = await ctx.withServices(async (s) => {
      const actor = await actingAs(ctx, s, flag, 'settings.protective')
      const password = provider === 'smtp' ? await readOptionalSecret('SMTP password') : undefined
      return await s.settings.configureEmail(input(password), actor, ctx.client)
    })
    return { data: config, text: emailConfigLines(config) }
  },
}

export const emailTestCommand: Command = {
  path: ['email', 'test'],
  summary: 'Send a test message now through the configured provider and say how it went',
  usage: 'email test --to ADDRESS (--as EMAIL | --key-holder)',
  options: {
    ...actorOptions,
    to: {
      type: 'string',
      valueName: 'ADDRESS',
      description: 'The email address to send it to',
      required: true,
    },
  },
  stdin: ACTOR_STDIN,
  env: [PASSPHRASE_ENV, SMTP_CA_ENV],
  examples: [
    `printf '%s\\n%s\\n' "$PASSWORD" "$APP_CODE" | tessera email test --to ada@example.com --as ada@example.com`,
    `... | tessera email test --to it@acme.example --json --as ada@example.com`,
  ],
  async run(ctx, values) {
    const flag = actorFlag(values)
    const { to } = validatedOptions(
      emailSendTestInputSchema,
      { to: stringOption(values, 'to') },
      { to: '--to' },
      'email test',
    )
    const entry = await ctx.withServices(async (s) =>
      s.settings.sendTestEmail(to, await actingAs(ctx, s, flag, 'settings.protective')),
    )
    if (entry.status !== 'sent') {
      throw new CliError(
        'EMAIL_NOT_SENT',
        entry.status === 'failed' ? 'FAILED' : 'QUEUED',
        notSentLine('The test message', entry),
        { email: entry },
      )
    }
    return {
      data: entry,
      text: [
        entry.provider === 'smtp'
          ? `Sent a test message to ${entry.to}: the SMTP server accepted it${entry.providerId ? ` (Message-ID ${entry.providerId})` : ''}.`
          : `Stored a test message to ${entry.to} in the local outbox: no email leaves this Tessera until an SMTP server is set up (tessera email config --provider smtp).`,
      ],
    }
  },
}

function outboxTable(messages: EmailOutboxEntryDto[]): string[] {
  const rows = messages.map((m) => [
    String(m.id),
    time(m.createdAt),
    m.to,
    m.kind,
    m.status,
    String(m.attempts),
    m.subject,
    m.lastError ?? '',
  ])
  return textTable(['ID', 'CREATED', 'TO', 'KIND', 'STATUS', 'TRIES', 'SUBJECT', 'LAST ERROR'], rows)
}

const deliveryLine = (d: { sent: number; retrying: number; failed: number }): string =>
  `Delivery: ${d.sent} sent, ${d.retrying} to retry later, ${d.failed} failed.`

export const emailOutboxCommand: Command = {
  path: ['email', 'outbox'],
  summary: 'List the email outbox, newest first: status, attempts, last error; texts without codes',
  usage:
    'email outbox (--as EMAIL | --key-holder) [--deliver] [--limit N] [--before ID] | email outbox --deliver',
  options: {
    ...actorOptions,
    deliver: {
      type: 'boolean',
      description:
        "First do the desktop app's worker step: send the messages that are due (for headless machines: run it from cron). Alone, without --as, it only prints what it did: the worker acts for nobody",
    },
    limit: { type: 'string', valueName: 'N', description: 'Messages per page, 1-500 (default 50)' },
    before: { type: 'string', valueName: 'ID', description: 'Messages older than this id (the next page)' },
  },
  stdin: ACTOR_STDIN,
  env: [PASSPHRASE_ENV, SMTP_CA_ENV],
  examples: [
    `printf '%s\\n%s\\n' "$PASSWORD" "$APP_CODE" | tessera email outbox --as ada@example.com`,
    `... | tessera email outbox --limit 10 --json --as ada@example.com`,
    'tessera email outbox --deliver',
  ],
  async run(ctx, values) {
    const deliverOnly = values['deliver'] === true && values.as === undefined && values['key-holder'] !== true
    const flag = deliverOnly ? undefined : actorFlag(values)
    const query = validatedOptions(
      emailOutboxInputSchema,
      { limit: numberFlag(values, 'limit'), before: numberFlag(values, 'before') },
      { limit: '--limit', before: '--before' },
      'email outbox',
    )
    const deliver = values['deliver'] === true
    const { page, delivered } = await ctx.withServices(async (s) => {
      if (flag) await actingAs(ctx, s, flag, 'settings.read')
      const delivered = deliver ? await s.email.deliverDue({ max: 500 }) : null
      return { page: flag ? await s.email.listOutbox(query) : null, delivered }
    })
    if (!page) return { data: { delivered }, text: [deliveryLine(delivered!)] }
    return {
      data: delivered ? { ...page, delivered } : page,
      text: [
        ...(delivered ? [deliveryLine(delivered), ''] : []),
        ...(page.messages.length ? outboxTable(page.messages) : ['The email outbox is empty.']),
        ...(page.nextBefore !== null ? ['', `More: --before ${page.nextBefore}`] : []),
      ],
    }
  },
}
