/** Every IPC call answers with a Result; errors cross as data, never as a throw. */
export const errorCodes = [
  'VALIDATION',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'SESSION_LOCKED',
  'INVALID_CREDENTIALS',
  'INVALID_CODE',
  'CODE_REPLAYED',
  'NO_BACKUP_CODES',
  'SECOND_FACTOR_REQUIRED',
  'ENROLLMENT_REQUIRED',
  'ACCOUNT_LOCKED',
  'THROTTLED',
  'WEAK_PASSWORD',
  'CONFLICT',
  'NOT_FOUND',
  'DATABASE',
  'INTERNAL',
] as const
export type ErrorCode = (typeof errorCodes)[number]

export interface ApiError {
  code: ErrorCode
  message: string
  /** Field-level problems for VALIDATION; seconds to wait for THROTTLED; lock end for ACCOUNT_LOCKED. */
  fields?: Record<string, string>
  retryAfterSeconds?: number
  lockedUntil?: number | null
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError }

export const ok = <T>(value: T): Result<T> => ({ ok: true, value })
export const fail = (error: ApiError): Result<never> => ({ ok: false, error })

/** Thrown by services for expected failures; the IPC gate turns it into a Result. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: Omit<ApiError, 'code' | 'message'> = {},
  ) {
    super(message)
    this.name = 'AppError'
  }

  toApiError(): ApiError {
    return { code: this.code, message: this.message, ...this.extra }
  }
}
