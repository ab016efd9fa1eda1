import { AppError } from '../../shared/result'

/** Why a database could not be created or opened. Each maps to its own CLI exit code. */
export const dbFailureReasons = [
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'WRONG_KEY',
  'KEY_MISSING',
  'KEYCHAIN_UNAVAILABLE',
  'PASSPHRASE_REQUIRED',
  'NOT_TESSERA',
  'CORRUPT',
  'TOO_NEW',
  'DB_REFUSED',
  'DB_AUTH_FAILED',
  'DB_MISSING',
  'DB_TLS_REQUIRED',
  'NOT_EMPTY',
  'TEAM_KEY_REQUIRED',
] as const
export type DbFailureReason = (typeof dbFailureReasons)[number]

export class DatabaseOpenError extends AppError {
  constructor(
    readonly reason: DbFailureReason,
    message: string,
  ) {
    super('DATABASE', message)
    this.name = 'DatabaseOpenError'
  }
}
