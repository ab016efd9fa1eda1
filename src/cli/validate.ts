import type { z } from 'zod'
import { usageError } from './errors'

/** A schema's message as the end of a sentence: one full stop, whether or not it brought its own. */
const sentence = (message: string | undefined): string =>
  `${(message ?? 'invalid value').replace(/\.$/, '')}.`

/** Parses a flag's value with a shared schema; a failure names the flag (or variable) and says why. */
export function validated<S extends z.ZodType>(schema: S, value: unknown, label: string): z.output<S> {
  const parsed = schema.safeParse(value)
  if (parsed.success) return parsed.data
  throw usageError('INVALID_VALUE', `${label}: ${sentence(parsed.error.issues[0]?.message)}`)
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
  throw usageError('INVALID_VALUE', `${where}: ${sentence(issue?.message)}`)
}
