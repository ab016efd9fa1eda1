import type { SecondFactorResult } from '../../main/core/two-factor'
import { AppError } from '../../shared/result'
import { emailSchema, smsCodeSchema } from '../../shared/schemas'
import type { OptionValues } from '../args'
import { stringOption, type Command, type CommandResult } from '../command'
import type { CliContext } from '../context'
import { factorFromFlags, readCredentials, secondFactorOptions } from '../credentials'
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

type SmsFlag = { send: true } | { code: string } | undefined

function smsFlags(values: OptionValues): SmsFlag {
  const send = values['sms'] === true
  const code = stringOption(values, 'sms-code')
  if (send && code !== undefined)
    throw usageError('INVALID_VALUE', 'Give either --sms or --sms-code, not both.')
  if (code !== undefined) return { code: validated(smsCodeSchema, code, '--sms-code') }
  return send ? { send: true } : undefined
}

/** "I lost my device": the password, then a code to the emergency phone (--sms), then that code (--sms-code). */
async function smsLogin(ctx: CliContext, email: string, flag: NonNullable<SmsFlag>): Promise<CommandResult> {
  const option = 'send' in flag ? '--sms' : '--sms-code CODE'
  return ctx.withServices(async (services) => {
    const { password } = await readCredentials(
      undefined,
      `printf '%s\\n' "$PASSWORD" | tessera login --email ${email} ${option}`,
    )
    const { user, next } = await services.auth.login(email, password, ctx.client)
    if (next !== 'second-factor') {
      throw new AppError(
        'ENROLLMENT_REQUIRED',
        next === 'enroll'
          ? `The password is correct, but this account has no authenticator to recover: enroll one with "tessera 2fa enroll --email ${email}".`
          : 'The password is correct; this account has no two-factor authentication, so there is nothing to recover by SMS.',
      )
    }
    if ('send' in flag) {
      const sent = await services.phones.sendLoginCode(user.id, ctx.client)
      return {
        data: { sent: true, user, phone: sent.masked, expiresAt: new Date(sent.expiresAt).toISOString() },
        text: [
          `Sent a login code by SMS to ${sent.masked}; it works once, for 10 minutes.`,
          `Then: printf '%s\\n' "$PASSWORD" | tessera login --email ${email} --sms-code CODE`,
        ],
      }
    }
    services.phones.verifyLoginCode(user.id, flag.code, ctx.client)
    const enroll = `tessera 2fa enroll --email ${email}`
    return {
      data: { accepted: true, user, secondFactor: 'sms', mustEnroll: true, next: enroll },
      text: [
        `Accepted by SMS code: ${user.name} <${user.email}> (${user.role})`,
        'The old authenticator and its backup codes are revoked.',
        `Enroll a new authenticator now: ${enroll} (password on stdin), then tessera 2fa confirm.`,
      ],
    }
  })
}

export const loginCommand: Command = {
  path: ['login'],
  summary: "Check a user's email, password and second factor, with the same limits and audit as the console",
  usage: 'login --email EMAIL [--code CODE | --backup-code CODE|- | --sms | --sms-code CODE]',
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
      valueName: 'CODE',
      description:
        'The code sent by --sms: revokes the old authenticator and backup codes; a new one must be enrolled at once',
    },
  },
  stdin: "the user's password, first line; with --backup-code -, the backup code on the second line",
  env: ['TESSERA_DB_PASSPHRASE  the database passphrase, for a passphrase-protected database'],
  examples: [
    `printf '%s\\n' "$PASSWORD" | tessera login --email ada@example.com && echo ok`,
    `printf '%s\\n' "$PASSWORD" | tessera login --email ada@example.com --code 123456`,
    `printf '%s\\n%s\\n' "$PASSWORD" "$BACKUP_CODE" | tessera login --email ada@example.com --backup-code -`,
  ],
  async run(ctx, values) {
    const email = validated(emailSchema, stringOption(values, 'email'), '--email')
    const flag = factorFromFlags(values)
    const sms = smsFlags(values)
    if (sms && flag) throw usageError('INVALID_VALUE', 'Give --sms or --sms-code, or --code / --backup-code.')
    if (sms) return smsLogin(ctx, email, sms)
    return ctx.withServices(async (services) => {
      const { password, factor } = await readCredentials(
        flag,
        `printf '%s\\n' "$PASSWORD" | tessera login --email ${email}`,
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
            'The password is correct; this account also needs its second factor. Pass --code CODE (from the authenticator app) or --backup-code CODE (or --backup-code - to pipe it as the second line of stdin).',
          )
        }
        // The same sequence as the console's second step: verify, then complete the login.
        result = await services.twoFactor.verify(user.id, factor, ctx.client)
        services.auth.completeLogin(user.id, ctx.client, result.method)
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
