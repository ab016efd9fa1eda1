import type { z } from 'zod'
import { usageError } from './errors'

/** Parses a flag's value with a shared schema; a failure names the flag (or variable) and says why. */
export function validated<S extends z.ZodType>(schema: S, value: unknown, label: string): z.output<S> {
  const parsed = schema.safeParse(value)
  if (parsed.success) return parsed.data
  throw usageError('INVALID_VALUE', `${label}: ${parsed.error.issues[0]?.message ?? 'invalid value'}.`)
}
