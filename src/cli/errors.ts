import { AppError, type ErrorCode } from '../shared/result'
import { DatabaseOpenError, storageFault, type DbFailureReason } from '../main/core/errors'
import { EXIT, type ExitName } from './exit-codes'

/** An expected failure raised by the CLI itself (usage, integrity, output), with its exit code. */
export class CliError extends Error {
  constructor(
    readonly exit: ExitName,
    readonly reason: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message)
    this.name = 'CliError'
  }
}

export const usageError = (reason: string, message: string): CliError =>
  new CliError('USAGE', reason, message)

/** What a failed command reports: the JSON error object, the message and the exit code. */
export interface Failure {
  exitCode: number
  code: string
  reason: string
  message: string
  details: Record<string, unknown>
  isUsage: boolean
}

const exitForAppError: Partial<Record<ErrorCode, ExitName>> = {
  VALIDATION: 'USAGE',
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
  ACCOUNT_LOCKED: 'ACCOUNT_LOCKED',
  THROTTLED: 'THROTTLED',
  WEAK_PASSWORD: 'WEAK_PASSWORD',
  CONFLICT: 'CONFLICT',
  FORBIDDEN: 'FORBIDDEN',
  INVALID_CODE: 'INVALID_CODE',
  CODE_REPLAYED: 'CODE_REPLAYED',
  NO_BACKUP_CODES: 'NO_BACKUP_CODES',
  SECOND_FACTOR_REQUIRED: 'SECOND_FACTOR_REQUIRED',
  ENROLLMENT_REQUIRED: 'ENROLLMENT_REQUIRED',
  NOT_FOUND: 'NOT_FOUND',
  UNAUTHENTICATED: 'INVALID_CREDENTIALS',
}

const exitForDbReason: Record<DbFailureReason, ExitName> = {
  NOT_FOUND: 'DB_NOT_FOUND',
  ALREADY_EXISTS: 'CONFLICT',
  WRONG_KEY: 'WRONG_KEY',
  KEY_MISSING: 'KEY_MISSING',
  KEYCHAIN_UNAVAILABLE: 'KEYCHAIN_UNAVAILABLE',
  PASSPHRASE_REQUIRED: 'PASSPHRASE_REQUIRED',
  NOT_TESSERA: 'NOT_TESSERA',
  CORRUPT: 'CORRUPT',
  TOO_NEW: 'TOO_NEW',
  DB_REFUSED: 'DB_UNREACHABLE',
  DB_AUTH_FAILED: 'DB_AUTH_FAILED',
  DB_MISSING: 'DB_MISSING',
  DB_TLS_REQUIRED: 'DB_TLS_REQUIRED',
  NOT_EMPTY: 'DB_NOT_EMPTY',
  TEAM_KEY_REQUIRED: 'PASSPHRASE_REQUIRED',
  READ_ONLY: 'DB_NOT_WRITABLE',
}

/**
 * Turns anything thrown into what the CLI reports. Messages of expected errors are written for people
 * and hold no secret; an unexpected error says only "Internal error" unless TESSERA_DEBUG=1.
 */
export function toFailure(error: unknown, debug: boolean): Failure {
  if (error instanceof CliError) {
    return {
      exitCode: EXIT[error.exit],
      code: error.exit,
      reason: error.reason,
      message: error.message,
      details: error.details,
      isUsage: error.exit === 'USAGE',
    }
  }
  if (error instanceof DatabaseOpenError) {
    return {
      exitCode: EXIT[exitForDbReason[error.reason]],
      code: error.code,
      reason: error.reason,
      message: error.message,
      details: {},
      isUsage: false,
    }
  }
  const storage = storageFault(error)
  if (storage) {
    return {
      exitCode: EXIT.DB_NOT_WRITABLE,
      code: storage.code,
      reason: storage.fault,
      message: storage.message,
      details: {},
      isUsage: false,
    }
  }
  if (error instanceof AppError) {
    const exit = exitForAppError[error.code] ?? 'INTERNAL'
    return {
      exitCode: EXIT[exit],
      code: error.code,
      reason: error.code,
      message: error.code === 'WEAK_PASSWORD' ? `Weak password: ${error.message}` : error.message,
      details: { ...error.extra },
      isUsage: exit === 'USAGE',
    }
  }
  const detail = error instanceof Error ? error.message : String(error)
  return {
    exitCode: EXIT.INTERNAL,
    code: 'INTERNAL',
    reason: 'INTERNAL',
    message: debug ? `Internal error: ${detail}` : 'Internal error',
    details: {},
    isUsage: false,
  }
}
