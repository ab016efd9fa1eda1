import type { Services } from '../../main/core/services'
import type { SessionUser } from '../../shared/dto'
import { recoveryCheckKeys, recoveryChecks, recoveryIdInputSchema } from '../../shared/schemas'
import { AGENT_STDIN, actingAs, actorFlag, actorOptions, agentAlias } from '../actor'
import type { OptionSpecs, OptionValues } from '../args'
import { stringOption, type Command, type CommandResult } from '../command'
import type { CliContext } from '../context'
import { usageError } from '../errors'
import { validatedOptions } from '../validate'
import { PASSPHRASE_ENV } from './users'

/**
 * How the agent commands of `tessera recovery` find whom they act as, and read their flags. Each parses
 * and checks every flag before the database is opened or a password read.
 */

export const idOption = {
  id: { type: 'string', valueName: 'N', description: 'The request number', required: true },
} as const satisfies OptionSpecs

const CHECK_KEYS = recoveryCheckKeys.join(', ')

/** A positive whole number from a flag; the schema checks its range. */
export function numberOption(values: OptionValues, name: string): number | undefined {
  const v = stringOption(values, name)
  if (v === undefined) return undefined
  if (!/^\d+$/.test(v)) throw usageError('INVALID_VALUE', `--${name} must be a number.`)
  return Number(v)
}

/** `--checks a,b`: each a key of recoveryChecks (one flag, comma-separated: a flag may not repeat). */
export function checksOption(values: OptionValues): string[] {
  const raw = stringOption(values, 'checks')
  if (raw === undefined) return []
  const keys = [
    ...new Set(
      raw
        .split(',')
        .map((k) => k.trim())
        .filter(Boolean),
    ),
  ]
  const unknown = keys.find((k) => !(k in recoveryChecks))
  if (unknown !== undefined || keys.length === 0) {
    throw usageError(
      'INVALID_VALUE',
      `--checks: ${unknown === undefined ? 'give at least one check' : `unknown check "${unknown}"`}; the checks are ${CHECK_KEYS} (comma-separated).`,
    )
  }
  return keys
}

/**
 * Whom an agent command acts as: the person named by --as (or --agent, its older name), signed in with
 * their password and second factor, who must work the Recovery queue (support, admin or owner). What
 * they may do to which request (not their own, not above their rank) is the core's to check. Recovery
 * work always names a person: --key-holder is not declared by these commands, and this guard keeps a
 * future declaration from turning the key holder into an agent.
 */
async function actingAgent(ctx: CliContext, services: Services, values: OptionValues): Promise<SessionUser> {
  const flag = actorFlag(values)
  if ('keyHolder' in flag) {
    throw usageError(
      'INVALID_VALUE',
      'Recovery requests are worked by people (--as EMAIL): the key holder can reset or unlock a user directly (tessera users reset-2fa / unlock --key-holder).',
    )
  }
  return (await actingAs(ctx, services, flag, 'recovery.work')) as SessionUser
}

/** The request number, checked with the contract's schema. */
export function requestIdOf(values: OptionValues): number {
  return validatedOptions(
    recoveryIdInputSchema,
    { requestId: numberOption(values, 'id') },
    { requestId: '--id' },
    'recovery',
  ).requestId
}

/** An agent command: checks the flags, opens the database, finds the agent, then acts. */
export function agentCommand<T extends object>(
  spec: Omit<Command, 'run' | 'stdin' | 'env'> & {
    /** Every flag, parsed and checked before anything is opened. */
    input(values: OptionValues): T
    act(s: Services, ctx: CliContext, agent: SessionUser, input: T): Promise<CommandResult> | CommandResult
  },
): Command {
  const { input, act, ...command } = spec
  return {
    ...command,
    options: { ...spec.options, as: actorOptions.as, ...agentAlias },
    stdin: AGENT_STDIN,
    env: [PASSPHRASE_ENV],
    async run(ctx, values) {
      actorFlag(values)
      const parsed = input(values)
      return ctx.withServices(async (s) => act(s, ctx, await actingAgent(ctx, s, values), parsed))
    },
  }
}
