import { createInterface } from 'node:readline/promises'
import { can, roleLabel, rolesWith, type Capability } from '../shared/access'
import { KEY_HOLDER, type Actor } from '../main/core/actor'
import type { Services } from '../main/core/services'
import type { SecondFactor } from '../main/core/two-factor'
import { DatabaseOpenError } from '../main/core/errors'
import { AppError } from '../shared/result'
import { backupCodeSchema, emailSchema, passwordSchema, totpCodeSchema } from '../shared/schemas'
import type { OptionSpecs, OptionValues } from './args'
import { stringOption } from './command'
import type { CliContext } from './context'
import { CliError, usageError } from './errors'
import { nextSecret, readPassword } from './secrets'
import { validated } from './validate'

/**
 * Whom an administrative or agent command acts as. Holding the database key lets the CLI open the file,
 * but it does not make anyone a person with a role: `--as EMAIL` signs that person in exactly as the
 * console does (password on stdin, then — when they have 2FA — the app code or a backup code on the
 * next line; the same limits, lockouts and audit), and the command runs with their role under the same
 * rules. `--key-holder` is the emergency for when no owner can sign in: it asks for the database key
 * itself, warns, and is recorded as "key holder", never as a person.
 */
export const actorOptions = {
  as: {
    type: 'string',
    valueName: 'EMAIL',
    description:
      'Act as this person: their password on stdin, then their app code (or a backup code) on the next line when they have 2FA',
  },
  'key-holder': {
    type: 'boolean',
    description:
      'Emergency only (no owner can sign in): act as the holder of the database key, read from stdin (its passphrase, or its 64 hex digits); recorded as "key holder"',
  },
} as const satisfies OptionSpecs

/** The recovery commands' older name for --as. */
export const agentAlias = {
  agent: {
    type: 'string',
    valueName: 'EMAIL',
    description: 'The same as --as (the agent working the request)',
  },
} as const satisfies OptionSpecs

export const ACTOR_STDIN =
  'with --as, the password (first line) and, for an account with 2FA, the app code or a backup code (second line); with --key-holder, the database passphrase or key (first line)'

/** The recovery commands take --as (or --agent), never --key-holder. */
export const AGENT_STDIN =
  "the agent's password (first line) and, for an account with 2FA, the app code or a backup code (second line)"

/** --as / --agent / --key-holder, checked before anything is opened or read. */
export function actorFlag(values: OptionValues): { as: string } | { keyHolder: true } {
  const as = stringOption(values, 'as')
  const agent = stringOption(values, 'agent')
  const keyHolder = values['key-holder'] === true
  if ([as, agent, keyHolder || undefined].filter((v) => v !== undefined).length > 1) {
    throw usageError(
      'INVALID_VALUE',
      'Give one of --as EMAIL (or --agent EMAIL) and --key-holder, not several.',
    )
  }
  if (keyHolder) return { keyHolder: true }
  const email = as ?? agent
  if (email === undefined) {
    throw usageError(
      'WHO_ARE_YOU',
      "Say who runs this: --as EMAIL, with that person's password on stdin (and their app code on the next line when they have 2FA). In an emergency, when no owner can sign in, --key-holder with the database key on stdin.",
    )
  }
  return { as: validated(emailSchema, email, as !== undefined ? '--as' : '--agent') }
}

/** The second factor from the line after the password: a 6-digit app code, or a backup code. */
async function secondFactorLine(): Promise<SecondFactor | undefined> {
  const line = (await nextSecret('Authenticator app code (or a backup code)'))?.trim()
  if (!line) return undefined
  if (/^\d{6}$/.test(line)) return { code: validated(totpCodeSchema, line, 'app code on stdin') }
  return { backupCode: validated(backupCodeSchema, line, 'backup code on stdin') }
}

/**
 * Signs the acting person in (or checks the key holder's key) on the open database, and checks that
 * their role has `capability` — the same capability the console's gate asks for the same action. What
 * they may do to whom is then checked by the core services, as for the console.
 */
export async function actingAs(
  ctx: CliContext,
  services: Services,
  flag: { as: string } | { keyHolder: true },
  capability: Capability,
): Promise<Actor> {
  if ('keyHolder' in flag) {
    const typed = await nextSecret('Database passphrase or key')
    if (!typed || !(await services.holdsDatabaseKey(typed))) {
      throw new DatabaseOpenError(
        'WRONG_KEY',
        "--key-holder: that is not this database's key (its passphrase, or the 64 hex digits kept in the keychain).",
      )
    }
    ctx.client.actor = 'key-holder'
    process.stderr.write(
      'Warning: acting as the KEY HOLDER, not as a person. Every change is recorded as made by the key holder. Use this only when no owner can sign in.\n',
    )
    return KEY_HOLDER
  }
  const password = validated(
    passwordSchema,
    await readPassword(`Password of ${flag.as}`, {
      example: `printf '%s\\n%s\\n' "$PASSWORD" "$APP_CODE" | tessera … --as ${flag.as}`,
    }),
    'password on stdin',
  )
  const person = await services.auth.authenticate(flag.as, password, secondFactorLine, ctx.client)
  if (!can(person.role, capability)) {
    throw new AppError(
      'FORBIDDEN',
      `${person.email} is ${roleLabel[person.role].toLowerCase() === 'administrator' ? 'an' : 'a'} ${roleLabel[person.role].toLowerCase()}: this needs ${rolesWith(capability).join(' or ')}.`,
    )
  }
  return person
}

export const yesOption = {
  yes: { type: 'boolean', description: 'Do it without asking (required when stdin is not a terminal)' },
} as const

/** Destructive commands ask first on a terminal; in a script they need --yes. */
export async function confirm(values: OptionValues, question: string): Promise<void> {
  if (values.yes === true) return
  if (!process.stdin.isTTY) {
    throw usageError('CONFIRMATION_REQUIRED', `${question} Nothing was changed: add --yes to confirm.`)
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr })
  try {
    const answer = await rl.question(`${question} Type "yes" to confirm: `)
    if (answer.trim().toLowerCase() !== 'yes') {
      throw new CliError('USAGE', 'CANCELLED', 'Cancelled; nothing was changed.')
    }
  } finally {
    rl.close()
  }
}
