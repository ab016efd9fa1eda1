import type { SecondFactorResult } from '../../main/core/two-factor'
import type { LoginNext } from '../../main/core/auth'
import { AppError } from '../../shared/result'
import { accessCodeSchema, emailSchema, smsCodeSchema } from '../../shared/schemas'
import type { OptionValues } from '../args'
import { stringOption, type Command, type CommandResult } from '../command'
import type { CliContext } from '../context'
import {
  codeFromStdinFlag,
  credentialsExample,
  factorFromFlags,
  readCredentials,
  readPasswordAndCode,
  secondFactorOptions,
} from '../credentials'
import { usageError } from '../errors'
import { validated } from '../validate'

/** What a person should hear after a backup code login: the count, with a warning when it runs low. */
export function backupCodesLeft(remaining: number): { line: string; warning: string | null } {
  const line = `${remaining} backup code${remaining === 1 ? '' : 's'} left.`
  const regenerate = 'tessera 2fa regenerate-codes --email EMAIL --code CODE'
  if (remaining === 0) {
    return {
      line,
      warning: `Warning: no backup codes left. Get a new set now with your authenticator app: ${regenerate}`,
    }
  }
  if (remaining === 1) {
    return { line, warning: `Warning: only 1 backup code left. Get a new set soon: ${regenerate}` }
  }
  return { line, warning: null }
}

function secondFactorLines(result: SecondFactorResult | null): { text: string[]; warning: string | null } {
  if (!result) return { text: [], warning: null }
  if (result.method === 'totp') return { text: ['Second factor: authenticator app code.'], warning: null }
  const left = backupCodesLeft(result.backupCodesRemaining)
  return {
    text: [
      `Second factor: backup code (slot ${result.slot}). ${left.line}`,
      ...(left.warning ? [left.warning] : []),
    ],
    warning: left.warning,
  }
}

type SmsFlag = { send: true } | { code: true } | undefined

const smsCodeExample = (email: string): string =>
  `printf '%s\\n%s\\n' "$PASSWORD" "$SMS_CODE" | tessera login --email ${email} --sms-code -`

function smsFlags(values: OptionValues): SmsFlag {
  const send = values['sms'] === true
  const code = codeFromStdinFlag(values, 'sms-code', 'An SMS code', smsCodeExample('EMAIL'))
  if (send && code) throw usageError('INVALID_VALUE', 'Give either --sms or --sms-code, not both.')
  if (code) return { code: true }
  return send ? { send: true } : undefined
}

/**
 * Recovering a lost device starts at the second login step: an account whose password leads anywhere
 * else has no authenticator to replace (the same answer whether by SMS, support or an access code).
 */
export function requireAuthenticatorToRecover(next: LoginNext, email: string, how: string): void {
  if (next === 'second-factor') return
  throw new AppError(
    'ENROLLMENT_REQUIRED',
    next === 'enroll'
      ? `The password is correct, but this account has no authenticator to recover: enroll one with "tessera 2fa enroll --email ${email}".`
      : `The password is correct; this account has no two-factor authentication, so there is nothing to recover ${how}.`,
  )
}

/** What the person hears once the old authenticator is gone: enroll a new one now. */
function mustEnrollResult(
  user: { name: string; email: string; role: string },
  by: string,
  secondFactor: string,
) {
  const enroll = `tessera 2fa enroll --email ${user.email}`
  return {
    data: { accepted: true, user, secondFactor, mustEnroll: true, next: enroll },
    text: [
      `Accepted by ${by}: ${user.name} <${user.email}> (${user.role})`,
      'The old authenticator and its backup codes are revoked.',
      `Enroll a new authenticator now: ${enroll} (password on stdin), then tessera 2fa confirm.`,
    ],
  }
}

/** "I lost my device": the password, then a code to the emergency phone (--sms), then that code (--sms-code). */
async function smsLogin(ctx: CliContext, email: string, flag: NonNullable<SmsFlag>): Promise<CommandResult> {
  return ctx.withServices(async (services) => {
    let password: string
    let code: string | undefined
    if ('send' in flag) {
      password = (
        await readCredentials(undefined, `printf '%s\\n' "$PASSWORD" | tessera login --email ${email} --sms`)
      ).password
    } else {
      ;({ password, code } = await readPasswordAndCode(smsCodeExample(email), {
        label: 'SMS code',
        flag: '--sms-code -',
        missingReason: 'NO_SMS_CODE',
        schema: smsCodeSchema,
      }))
    }
    const { user, next } = await services.auth.login(email, password, ctx.client)
    requireAuthenticatorToRecover(next, email, 'by SMS')
    if ('send' in flag) {
      const sent = await services.phones.sendLoginCode(user.id, ctx.client)
      return {
        data: { sent: true, user, phone: sent.masked, expiresAt: new Date(sent.expiresAt).toISOString() },
        text: [
          `Sent a login code by SMS to ${sent.masked}; it works once, for 10 minutes.`,
          `Then: ${smsCodeExample(email)}`,
        ],
      }
    }
    await services.phones.verifyLoginCode(user.id, code!, ctx.client)
    return mustEnrollResult(user, 'SMS code', 'sms')
  })
}

const accessCodeExample = (email: string): string =>
  `printf '%s\\n%s\\n' "$PASSWORD" "$ACCESS_CODE" | tessera login --email ${email} --access-code -`

/** `--access-code -` only: a literal code is refused unread, since argv ends up in history and `ps`. */
const accessCodeFlag = (values: OptionValues): boolean =>
  codeFromStdinFlag(values, 'access-code', 'A temporary access code', accessCodeExample('EMAIL'))

/**
 * The temporary access code support issued after an approved recovery request: after the password it
 * completes the request, revokes the old authenticator and leaves enrollment as the only next step.
 */
async function accessCodeLogin(ctx: CliContext, email: string): Promise<CommandResult> {
  return ctx.withServices(async (services) => {
    const { password, code } = await readPasswordAndCode(accessCodeExample(email), {
      label: 'Temporary access code',
      flag: '--access-code -',
      missingReason: 'NO_ACCESS_CODE',
      schema: accessCodeSchema,
    })
    const { user, next } = await services.auth.login(email, password, ctx.client)
    requireAuthenticatorToRecover(next, email, 'with a temporary access code')
    await services.recovery.verifyAccessCode(user.id, code, ctx.client)
    return mustEnrollResult(user, 'temporary access code', 'access_code')
  })
}

export const loginCommand: Command = {
  path: ['login'],
  summary: "Check a user's email, password and second factor, with the same limits and audit as the console",
  usage: 'login --email EMAIL [--code CODE|- | --backup-code - | --sms | --sms-code - | --access-code -]',
  options: {
    email: { type: 'string', valueName: 'EMAIL', description: "The user's email", required: true },
    ...secondFactorOptions,
    sms: {
      type: 'boolean',
      description:
        '"I lost my device": send a login code by SMS to the verified emergency phone, instead of --code',
    },
    'sms-code': {
      type: 'string',
      valueName: '-',
      description:
        'The code sent by --sms, read from the line of stdin after the password (only "-" is accepted): revokes the old authenticator and backup codes; a new one must be enrolled at once',
    },
    'access-code': {
      type: 'string',
      valueName: '-',
      description:
        'The temporary access code from support (tessera recovery), read from the second line of stdin (only "-" is accepted): revokes the old authenticator and backup codes; a new one must be enrolled at once',
    },
  },
  stdin:
    "the user's password, first line; with --code -, --backup-code -, --sms-code - or --access-code -, the code on the second line",
  env: ['TESSERA_DB_PASSPHRASE  the database passphrase, for a passphrase-protected database'],
  examples: [
    `printf '%s\\n' "$PASSWORD" | tessera login --email ada@example.com && echo ok`,
    `printf '%s\\n' "$PASSWORD" | tessera login --email ada@example.com --code 123456`,
    `printf '%s\\n%s\\n' "$PASSWORD" "$BACKUP_CODE" | tessera login --email ada@example.com --backup-code -`,
    smsCodeExample('ada@example.com'),
    accessCodeExample('ada@example.com'),
  ],
  async run(ctx, values) {
    const email = validated(emailSchema, stringOption(values, 'email'), '--email')
    const flag = factorFromFlags(
      values,
      `printf '%s\\n%s\\n' "$PASSWORD" "$BACKUP_CODE" | tessera login --email ${email} --backup-code -`,
    )
    const sms = smsFlags(values)
    const accessCode = accessCodeFlag(values)
    if ([flag, sms, accessCode || undefined].filter((f) => f !== undefined).length > 1) {
      throw usageError(
        'INVALID_VALUE',
        'Give one of --code / --backup-code, --sms / --sms-code, or --access-code -, not several.',
      )
    }
    if (sms) return smsLogin(ctx, email, sms)
    if (accessCode) return accessCodeLogin(ctx, email)
    return ctx.withServices(async (services) => {
      const { password, factor } = await readCredentials(
        flag,
        credentialsExample(`login --email ${email}`, flag),
      )
      const { user, next } = await services.auth.login(email, password, ctx.client)
      if (next === 'enroll') {
        throw new AppError(
          'ENROLLMENT_REQUIRED',
          `The password is correct, but this account must turn on two-factor authentication before it can sign in: run "tessera 2fa enroll --email ${email}", then "tessera 2fa confirm".`,
        )
      }
      let result: SecondFactorResult | null = null
      if (next === 'second-factor') {
        if (!factor) {
          throw new AppError(
            'SECOND_FACTOR_REQUIRED',
            'The password is correct; this account also needs its second factor. Pass --code CODE (from the authenticator app), or --code - or --backup-code - to pipe it as the second line of stdin.',
          )
        }
        // The same use case as the console's second step: verify, then complete the login.
        result = await services.auth.verifySecondFactor(user.id, factor, ctx.client)
      }
      const lines = secondFactorLines(result)
      return {
        data: {
          accepted: true,
          user,
          secondFactor: result?.method ?? null,
          backupCodeSlot: result?.method === 'backup_code' ? result.slot : null,
          backupCodesRemaining: result?.method === 'backup_code' ? result.backupCodesRemaining : null,
          warning: lines.warning,
        },
        text: [
          `Accepted: ${user.name} <${user.email}> (${user.role})`,
          ...lines.text,
          ...(factor && !result
            ? ['(This account has no two-factor authentication: the code was not checked.)']
            : []),
        ],
      }
    })
  },
}
