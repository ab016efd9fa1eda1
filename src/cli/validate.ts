import type { z } from 'zod'
import { usageError } from './errors'

/** Parses a flag's value with a shared schema; a failure names the flag (or variable) and says why. */
export function validated<S extends z.ZodType>(schema: S, value: unknown, label: string): z.output<S> {
  const parsed = schema.safeParse(value)
  if (parsed.success) return parsed.data
  throw usageError('INVALID_VALUE', `${label}: ${parsed.error.issues[0]?.message ?? 'invalid value'}.`)
}

/**
 * Parses a command's options as one input object with a shared schema; a failure names the flag that
 * holds the field at fault (`flags` maps field → flag), else `label`.
 */
export function validatedOptions<S extends z.ZodType>(
  schema: S,
  value: unknown,
  flags: Record<string, string>,
  label: string,
): z.output<S> {
  const parsed = schema.safeParse(value)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  const field = issue?.path[0]
  const where = (typeof field === 'string' ? flags[field] : undefined) ?? label
  throw usageError('INVALID_VALUE', `${where}: ${issue?.message ?? 'invalid value'}.`)
}
