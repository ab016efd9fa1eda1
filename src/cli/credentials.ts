import type { ClientInfo } from '../main/core/client'
import { PasswordHasher } from '../main/core/passwords'
import type { Services } from '../main/core/services'
import type { SecondFactor } from '../main/core/two-factor'
import { findUserByEmail, type UserRow } from '../main/db/queries/users'
import type { SessionUser } from '../shared/dto'
import { AppError } from '../shared/result'
import { backupCodeSchema, passwordSchema, totpCodeSchema } from '../shared/schemas'
import type { OptionSpecs, OptionValues } from './args'
import { stringOption } from './command'
import { usageError } from './errors'
import { readPassword, readPasswordAndSecondLine } from './secrets'
import { validated } from './validate'

/** `--backup-code -` reads the code from stdin's second line instead of argv. */
export const FROM_STDIN = '-'

export const codeOption: OptionSpecs = {
  code: {
    type: 'string',
    valueName: 'CODE',
    description: 'The current 6-digit code from the authenticator app',
  },
}

export const secondFactorOptions: OptionSpecs = {
  ...codeOption,
  'backup-code': {
    type: 'string',
    valueName: 'CODE',
    description:
      'A backup code (like 7KQ2M-XD94P), instead of --code; "-" reads it from the second line of stdin, which keeps it out of argv and the process list',
  },
}

/** The second factor the flags ask for; a backup code still on stdin is `{ backupCode: null }`. */
export type FactorFlag = { code: string } | { backupCode: string | null } | undefined

/** Checks --code / --backup-code before anything is opened or read. */
export function factorFromFlags(values: OptionValues): FactorFlag {
  const code = stringOption(values, 'code')
  const backupCode = stringOption(values, 'backup-code')
  if (code !== undefined && backupCode !== undefined) {
    throw usageError('INVALID_VALUE', 'Give either --code or --backup-code, not both.')
  }
  if (code !== undefined) return { code: validated(totpCodeSchema, code, '--code') }
  if (backupCode === FROM_STDIN) return { backupCode: null }
  if (backupCode !== undefined)
    return { backupCode: validated(backupCodeSchema, backupCode, '--backup-code') }
  return undefined
}

/** The password from stdin's first line and, for `--backup-code -`, the backup code from its second. */
export async function readCredentials(
  factor: FactorFlag,
  example: string,
): Promise<{ password: string; factor: SecondFactor | undefined }> {
  if (factor && 'backupCode' in factor && factor.backupCode === null) {
    const read = await readPasswordAndSecondLine(example, {
      label: 'Backup code',
      flag: '--backup-code -',
      missingReason: 'NO_BACKUP_CODE',
    })
    return {
      password: validated(passwordSchema, read.password, 'password on stdin'),
      factor: { backupCode: validated(backupCodeSchema, read.secret, 'backup code on stdin') },
    }
  }
  const password = validated(passwordSchema, await readPassword('Password', { example }), 'password on stdin')
  return { password, factor: factor as SecondFactor | undefined }
}

/** The user an admin command names; the CLI holds the database key, so naming a missing one is no leak. */
export function userByEmail(services: Services, email: string): UserRow {
  const user = findUserByEmail(services.db, email)
  if (!user) throw new AppError('NOT_FOUND', `No user has the email ${email}.`)
  return user
}

const INVALID = 'The email or password is not correct.'

/**
 * The user named by --email, once their password has been checked again the way the console
 * re-authenticates before changing 2FA (same limits, audited as `reauth.failed`). An unknown email gets
 * the same answer, in the same time, as a wrong password.
 */
export async function reauthenticate(
  services: Services,
  client: ClientInfo,
  email: string,
  password: string,
): Promise<SessionUser> {
  const user = findUserByEmail(services.db, email)
  if (!user?.password_hash) {
    await new PasswordHasher().burn(password)
    services.audit.append({ type: 'reauth.failed', data: { ...client, email, reason: 'unknown_user' } })
    throw new AppError('INVALID_CREDENTIALS', INVALID)
  }
  if (user.status === 'disabled') {
    throw new AppError('FORBIDDEN', 'This account is disabled. Ask an administrator.')
  }
  try {
    return await services.auth.confirmPassword(user.id, password, client, 'reauth')
  } catch (e) {
    if (e instanceof AppError && e.code === 'INVALID_CREDENTIALS')
      throw new AppError('INVALID_CREDENTIALS', INVALID)
    throw e
  }
}
