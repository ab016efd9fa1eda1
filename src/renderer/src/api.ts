import type { ApiClient } from '../../shared/client'
import type { ApiError, ErrorCode, Result } from '../../shared/result'

/** The one way the renderer reaches main: the `window.api` the preload (or a test) provides. */
export const api = (): ApiClient => window.api

/** A failed call, thrown so TanStack Query and form handlers see it as an error with its code intact. */
export class ApiFailure extends Error {
  readonly code: ErrorCode
  constructor(readonly error: ApiError) {
    super(error.message)
    this.name = 'ApiFailure'
    this.code = error.code
  }
}

export async function unwrap<T>(call: Promise<Result<T>>): Promise<T> {
  const result = await call
  if (!result.ok) throw new ApiFailure(result.error)
  return result.value
}

/** What to show a person for any error: our own messages as they are, anything else generically. */
export function messageOf(e: unknown): string {
  if (e instanceof ApiFailure) return e.message
  return 'Tessera could not reach its backend. Try again.'
}

/** Errors that mean the screen no longer matches the session (idle lock elsewhere, signed out). */
const sessionGoneCodes: ReadonlySet<string> = new Set([
  'SESSION_LOCKED',
  'UNAUTHENTICATED',
  'SECOND_FACTOR_REQUIRED',
  'ENROLLMENT_REQUIRED',
])
export const isSessionGone = (e: unknown): boolean => e instanceof ApiFailure && sessionGoneCodes.has(e.code)
