import type { z } from 'zod'
import type { SecondFactor } from '../main/core/two-factor'
import { backupCodeSchema, passwordSchema, totpCodeSchema } from '../shared/schemas'
import type { OptionSpecs, OptionValues } from './args'
import { stringOption } from './command'
import { usageError } from './errors'
import { readPassword, readPasswordAndSecondLine, type SecondLine } from './secrets'
import { validated } from './validate'

/** `--backup-code -` (and every other one-time code's flag) reads the code from stdin, never argv. */
export const FROM_STDIN = '-'

export const codeOption: OptionSpecs = {
  code: {
    type: 'string',
    valueName: 'CODE',
    description:
      'The current 6-digit code from the authenticator app ("-" reads it from the line of stdin after the password)',
  },
}

export const secondFactorOptions: OptionSpecs = {
  ...codeOption,
  'backup-code': {
    type: 'string',
    valueName: '-',
    description:
      'A backup code (like 7KQ2M-XD94P), instead of --code, read from the line of stdin after the password: only "-" is accepted, so it never reaches argv or the process list',
  },
}

/**
 * A one-time code's flag: only `-` (read from stdin) is accepted, since argv ends up in shell history
 * and `ps`. A code given in argv is refused unread and never echoed.
 */
export function codeFromStdinFlag(
  values: OptionValues,
  flag: string,
  what: string,
  example: string,
): boolean {
  const value = stringOption(values, flag)
  if (value === undefined) return false
  if (value !== FROM_STDIN) {
    throw usageError(
      'SECRET_IN_ARGV',
      `${what} is never taken from the command line, where shell history and process lists would keep it. ` +
        `Give --${flag} - and pipe the code as the line after the password: ${example}`,
    )
  }
  return true
}

/** The second factor the flags ask for; one still to read from stdin is `null`. */
export type FactorFlag = { code: string | null } | { backupCode: null } | undefined

/** Checks --code / --backup-code before anything is opened or read. */
export function factorFromFlags(
  values: OptionValues,
  example = 'printf \'%s\\n%s\\n\' "$PASSWORD" "$CODE" | tessera …',
): FactorFlag {
  const code = stringOption(values, 'code')
  const backup = codeFromStdinFlag(values, 'backup-code', 'A backup code', example)
  if (code !== undefined && backup) {
    throw usageError('INVALID_VALUE', 'Give either --code or --backup-code, not both.')
  }
  if (backup) return { backupCode: null }
  if (code === FROM_STDIN) return { code: null }
  if (code !== undefined) return { code: validated(totpCodeSchema, code, '--code') }
  return undefined
}

/**
 * How to pipe the password, and the code the flags read from stdin, into `command` ("login --email …"):
 * the example a message gives when a line is missing.
 */
export function credentialsExample(command: string, factor: FactorFlag): string {
  if (factor && 'backupCode' in factor) {
    return `printf '%s\\n%s\\n' "$PASSWORD" "$BACKUP_CODE" | tessera ${command} --backup-code -`
  }
  if (factor && factor.code === null) {
    return `printf '%s\\n%s\\n' "$PASSWORD" "$APP_CODE" | tessera ${command} --code -`
  }
  return `printf '%s\\n' "$PASSWORD" | tessera ${command}${factor ? ' --code CODE' : ''}`
}

/** The password from stdin and, when the flags say so, the code from the line after it. */
export async function readCredentials(
  factor: FactorFlag,
  example: string,
): Promise<{ password: string; factor: SecondFactor | undefined }> {
  const passwordOnly = async () =>
    validated(passwordSchema, await readPassword('Password', { example }), 'password on stdin')
  if (!factor) return { password: await passwordOnly(), factor: undefined }
  if ('code' in factor && factor.code !== null) {
    return { password: await passwordOnly(), factor: { code: factor.code } }
  }
  if ('code' in factor) {
    const read = await readPasswordAndCode(example, {
      label: 'Authenticator app code',
      flag: '--code -',
      missingReason: 'NO_CODE',
      schema: totpCodeSchema,
    })
    return { password: read.password, factor: { code: read.code } }
  }
  const read = await readPasswordAndCode(example, {
    label: 'Backup code',
    flag: '--backup-code -',
    missingReason: 'NO_BACKUP_CODE',
    schema: backupCodeSchema,
  })
  return { password: read.password, factor: { backupCode: read.code } }
}

/**
 * The password, then a one-time code on the next line of stdin (`--code -`, `--sms-code -`, …), each
 * checked with its schema; on a terminal both are asked without echo.
 */
export async function readPasswordAndCode<S extends z.ZodType>(
  example: string,
  code: SecondLine & { schema: S },
  options: { isNew?: boolean } = {},
): Promise<{ password: string; code: z.output<S> }> {
  const read = await readPasswordAndSecondLine(example, code, options)
  return {
    password: validated(passwordSchema, read.password, 'password on stdin'),
    code: validated(code.schema, read.secret, `${code.label.toLowerCase()} on stdin`),
  }
}
