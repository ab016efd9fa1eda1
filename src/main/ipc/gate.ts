import { can } from '../../shared/access'
import { api, type Method, type Output, type ParsedInput } from '../../shared/api'
import { AppError, fail, ok, type Result } from '../../shared/result'
import { isConnectionLost, storageFault } from '../core/errors'
import type { Session } from '../core/sessions'
import type { Language } from '../../shared/contract/preferences'
import { translateError, zodErrorsIn } from './language/translate'

export interface CallContext {
  clientId: string
  /** The client's session, if any; for role-gated methods it is present and unlocked. */
  session: Session | undefined
  /** The language this client's console shows (English until it says): for texts a result carries. */
  language: Language
  /** Answers this client's errors in `language` from now on (what its console shows). */
  setLanguage(language: Language): void
}

export type Handlers = {
  [M in Method]: (ctx: CallContext, input: ParsedInput<M>) => Promise<Output<M>>
}

export interface SessionLookup {
  /**
   * The client's session after the time rules have been applied and it has been brought in line with
   * the database (role, status, must-enroll), each change recorded.
   */
  current(clientId: string): Promise<Session | undefined>
  touch(clientId: string): void
}

export interface GateOptions {
  handlers: Handlers
  sessions: SessionLookup
  /** Where unexpected errors are written (main's log). The caller only ever sees INTERNAL. */
  logError?: (method: string, error: unknown) => void
}

export type Gate = (clientId: string, method: string, rawInput: unknown) => Promise<Result<unknown>>

const isMethod = (m: string): m is Method => Object.hasOwn(api, m)

function zodFields(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const i of issues) {
    const key = i.path.map(String).join('.') || '_'
    fields[key] ??= i.message
  }
  return fields
}

/**
 * The one path every call takes, whatever carries it (Electron IPC, the browser tests' binding):
 * known method → schema validation → authorization from the contract's access rule → handler → Result.
 */
export function createGate(options: GateOptions): Gate {
  // Each client's language, as its console last told it; English until then (and for other callers).
  const languages = new Map<string, Language>()
  const call = answer(options, languages)
  return async (clientId, method, rawInput) => {
    const result = await call(clientId, method, rawInput)
    const language = languages.get(clientId) ?? 'en'
    return result.ok || language === 'en' ? result : fail(translateError(result.error, language))
  }
}

function answer({ handlers, sessions, logError }: GateOptions, languages: Map<string, Language>): Gate {
  return async (clientId, method, rawInput) => {
    if (!isMethod(method)) return fail({ code: 'FORBIDDEN', message: 'Unknown method.' })
    const spec = api[method]
    const zodErrors = zodErrorsIn(languages.get(clientId) ?? 'en')
    const parsed = spec.input.safeParse(rawInput ?? {}, zodErrors ? { error: zodErrors } : undefined)
    if (!parsed.success) {
      const fields = zodFields(parsed.error.issues)
      return fail({ code: 'VALIDATION', message: Object.values(fields)[0] ?? 'Invalid input.', fields })
    }
    try {
      const session = await sessions.current(clientId)
      if (spec.access !== 'anyone') {
        if (!session) return fail({ code: 'UNAUTHENTICATED', message: 'Sign in first.' })
        if (!(spec.stages ?? ['full']).includes(session.stage)) {
          return session.stage === 'second-factor'
            ? fail({
                code: 'SECOND_FACTOR_REQUIRED',
                message: 'Enter the code from your authenticator app first.',
              })
            : fail({ code: 'ENROLLMENT_REQUIRED', message: 'Set up two-factor authentication first.' })
        }
        if (session.locked)
          return fail({
            code: 'SESSION_LOCKED',
            message: 'The console is locked. Unlock it with your password.',
          })
        if (!can(session.user.role, spec.access)) {
          return fail({ code: 'FORBIDDEN', message: 'Your role does not allow this.' })
        }
        sessions.touch(clientId)
      }
      const handler = handlers[method] as (ctx: CallContext, input: unknown) => Promise<unknown>
      const setLanguage = (language: Language) => languages.set(clientId, language)
      const language = languages.get(clientId) ?? 'en'
      return ok(await handler({ clientId, session, language, setLanguage }, parsed.data))
    } catch (e) {
      if (e instanceof AppError) return fail(e.toApiError())
      // A full or read-only disk: the transaction was rolled back whole, and people can fix the cause.
      const storage = storageFault(e)
      if (storage) {
        logError?.(method, e)
        return fail(storage.toApiError())
      }
      if (isConnectionLost(e)) {
        // What the call was doing did not commit: nothing of it is saved, and the next call reconnects.
        return fail({
          code: 'DATABASE',
          message:
            'The team database cannot be reached right now; Tessera is reconnecting. Nothing of this action was saved: try again in a moment.',
        })
      }
      logError?.(method, e)
      return fail({
        code: 'INTERNAL',
        message: 'Something went wrong. The details are in the application log.',
      })
    }
  }
}
