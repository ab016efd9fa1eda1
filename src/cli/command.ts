import type { OptionSpecs, OptionValues } from './args'
import type { CliContext } from './context'

/** What a command hands back: the data for --json and the lines for people. */
export interface CommandResult {
  data: unknown
  /** Lines for stdout in human mode; omitted when the command already wrote its output (an export). */
  text?: string[]
}

export interface Command {
  /** Command words, e.g. ['audit', 'export']. */
  path: readonly string[]
  summary: string
  /** Usage after "tessera", e.g. 'login --email E'. */
  usage: string
  options: OptionSpecs
  /** What the command reads from stdin, if anything. */
  stdin?: string
  /** Environment variables the command reads beyond the global ones. */
  env?: readonly string[]
  examples: readonly string[]
  /** One positional argument after the command words (e.g. the FILE of "users import FILE"). */
  positional?: { name: string; description: string }
  run(ctx: CliContext, values: OptionValues, positional?: string): Promise<CommandResult>
}

export interface CommandGroup {
  name: string
  summary: string
}

export const commandName = (c: Pick<Command, 'path'>): string => ['tessera', ...c.path].join(' ')

/** A string option's value; the parser has already checked required options and choices. */
export function stringOption(values: OptionValues, name: string): string | undefined {
  const v = values[name]
  return typeof v === 'string' ? v : undefined
}
