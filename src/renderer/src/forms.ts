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
