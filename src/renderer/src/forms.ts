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
