import { parseArgs } from 'node:util'
import { usageError } from './errors'

export interface OptionSpec {
  type: 'string' | 'boolean'
  /** Shown in help after the flag: `--db PATH`. */
  valueName?: string
  description: string
  required?: boolean
  choices?: readonly string[]
  short?: string
}

export type OptionSpecs = Record<string, OptionSpec>
export type OptionValues = Record<string, string | boolean | undefined>

/** Options every command accepts. */
export const globalOptions: OptionSpecs = {
  db: {
    type: 'string',
    valueName: 'PATH',
    description: 'Database file (default: $TESSERA_DB, else the app folder)',
  },
  'database-url': {
    type: 'string',
    valueName: 'URL',
    description:
      'A team database on PostgreSQL, postgres://user@host:5432/name (default: $TESSERA_DATABASE_URL); its password comes from PGPASSWORD, ~/.pgpass or $TESSERA_DATABASE_URL, never from this flag',
  },
  json: { type: 'boolean', description: 'Print one JSON object on stdout and nothing else' },
  help: { type: 'boolean', short: 'h', description: 'Show help for this command' },
}

/** Flags someone might try to pass a secret with; refused before anything else runs. */
const SECRET_FLAG = /pass(word|phrase)?$|^pw$|secret|token|^pin$|^key$/i

const SECRETS_MESSAGE =
  'Secrets are never taken from the command line, where shell history and process lists would keep them. ' +
  'Pipe the password on stdin (e.g. printf \'%s\\n\' "$PASSWORD" | tessera login --email E), or type it when asked; ' +
  'the database passphrase comes from the environment variable TESSERA_DB_PASSPHRASE.'

export interface ParsedLine {
  words: string[]
  values: OptionValues
  /** Raw flag names given, in order, for checking against the chosen command's options. */
  flags: { name: string; hasValue: boolean }[]
}

/**
 * First pass over argv: finds the command words and the flags without knowing the command yet. Every
 * known option is declared so that flags taking a value consume it; unknown flags are reported by name
 * only, since the value after them could be a secret.
 */
export function parseLine(argv: string[], allOptions: OptionSpecs): ParsedLine {
  for (const arg of argv) {
    if (arg === '--') break
    const name = /^--?([^=]+)/.exec(arg)?.[1]
    if (name && SECRET_FLAG.test(name)) throw usageError('SECRET_IN_ARGV', SECRETS_MESSAGE)
  }
  const options = Object.fromEntries(
    Object.entries(allOptions).map(([name, spec]) => [
      name,
      { type: spec.type, ...(spec.short ? { short: spec.short } : {}) },
    ]),
  )
  const { values, positionals, tokens } = parseArgs({
    args: argv,
    options,
    strict: false,
    allowPositionals: true,
    tokens: true,
  })
  const flags = tokens.flatMap((t) =>
    t.kind === 'option' ? [{ name: t.name, hasValue: t.value !== undefined }] : [],
  )
  return { words: positionals, values: values as OptionValues, flags }
}

/** Second pass, once the command is known: only its flags, each with a value when it needs one. */
export function checkFlags(line: ParsedLine, specs: OptionSpecs, commandName: string): void {
  const helpHint = `See "${commandName} --help".`
  const seen = new Set<string>()
  for (const flag of line.flags) {
    const spec = specs[flag.name]
    if (!spec)
      throw usageError('UNKNOWN_OPTION', `Unknown option --${flag.name} for "${commandName}". ${helpHint}`)
    // The parser keeps only the last value; refusing a repeat beats silently dropping the others.
    if (spec.type === 'string' && seen.has(flag.name)) {
      throw usageError('REPEATED_OPTION', `--${flag.name} is given more than once. ${helpHint}`)
    }
    seen.add(flag.name)
    if (spec.type === 'string' && !flag.hasValue) {
      throw usageError(
        'MISSING_VALUE',
        `--${flag.name} needs a value (${spec.valueName ?? 'VALUE'}). ${helpHint}`,
      )
    }
    if (spec.type === 'boolean' && flag.hasValue) {
      throw usageError('INVALID_VALUE', `--${flag.name} takes no value. ${helpHint}`)
    }
  }
  if (line.values.help) return
  for (const [name, spec] of Object.entries(specs)) {
    const value = line.values[name]
    if (spec.required && value === undefined) {
      throw usageError('MISSING_OPTION', `--${name} is required. ${helpHint}`)
    }
    if (spec.choices && typeof value === 'string' && !spec.choices.includes(value)) {
      throw usageError('INVALID_VALUE', `--${name} must be one of: ${spec.choices.join(', ')}. ${helpHint}`)
    }
  }
}
