import { useCallback, useState } from 'react'
import type { FieldValues, Path, UseFormSetError } from 'react-hook-form'
import { ApiFailure, messageOf } from './api'

/**
 * Puts a server error where the person will look: field messages (VALIDATION, WEAK_PASSWORD) at their
 * fields when the form has them; everything else is returned for the form's alert region.
 */
export function applyServerError<T extends FieldValues>(
  e: unknown,
  setError: UseFormSetError<T>,
  formFields: readonly Path<T>[],
): string | null {
  if (e instanceof ApiFailure && e.error.fields) {
    let placed = false
    for (const [name, message] of Object.entries(e.error.fields)) {
      if ((formFields as readonly string[]).includes(name)) {
        setError(name as Path<T>, { type: 'server', message })
        placed = true
      }
    }
    if (placed) return null
  }
  return messageOf(e)
}

/**
 * The same error with some of its field names changed, for a form whose fields main names otherwise
 * (the change-password form's one field for an app code or a backup code is main's `secondFactor`).
 */
export function renameFields(e: unknown, names: Readonly<Record<string, string>>): unknown {
  if (!(e instanceof ApiFailure) || !e.error.fields) return e
  const fields = Object.fromEntries(Object.entries(e.error.fields).map(([k, v]) => [names[k] ?? k, v]))
  return new ApiFailure({ ...e.error, fields })
}

/**
 * The one owner of a form's server error. `submit` runs the form's call: a field message goes to its
 * field (applyServerError), anything else becomes `error` for the form's alert region; it is cleared
 * when the form is sent again (or by `clear`, when the form changes under it). Resolves true when the
 * call succeeded.
 */
export function useServerError<T extends FieldValues>(
  setError: UseFormSetError<T>,
  formFields: readonly Path<T>[],
): {
  error: string | null
  submit: (call: () => Promise<unknown>) => Promise<boolean>
  clear: () => void
} {
  const [error, setServerError] = useState<string | null>(null)
  // formFields is usually a literal array: its contents, not its identity, decide where errors go.
  const fields = formFields.join('\n')
  const submit = useCallback(
    async (call: () => Promise<unknown>): Promise<boolean> => {
      setServerError(null)
      try {
        await call()
        return true
      } catch (e) {
        setServerError(applyServerError(e, setError, fields.split('\n') as Path<T>[]))
        return false
      }
    },
    [setError, fields],
  )
  const clear = useCallback(() => setServerError(null), [])
  return { error, submit, clear }
}
