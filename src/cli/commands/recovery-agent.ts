import type { Services } from '../../main/core/services'
import { getRecoveryRequest } from '../../main/db/queries/recovery'
import type { SessionUser } from '../../shared/dto'
import { AppError } from '../../shared/result'
import {
  emailSchema,
  recoveryCheckKeys,
  recoveryChecks,
  recoveryIdInputSchema,
  type Role,
} from '../../shared/schemas'
import type { OptionSpecs, OptionValues } from '../args'
import { stringOption, type Command, type CommandResult } from '../command'
import type { CliContext } from '../context'
import { readCredentials, reauthenticate } from '../credentials'
import { usageError } from '../errors'
import { operator } from '../operator'
import { validated, validatedOptions } from '../validate'
import { PASSPHRASE_ENV } from './users'

/**
 * How the agent commands of `tessera recovery` find whom they act as, and read their flags. Each parses
 * and checks every flag before the database is opened or a password read.
 */

/** The roles that work the Recovery queue, as in the console. */
const AGENT_ROLES: readonly Role[] = ['owner', 'admin', 'support']

const agentOption = {
  agent: {
    type: 'string',
    valueName: 'EMAIL',
    description:
      'Act as this support agent, admin or owner, whose password is read on stdin; the audit trail names them (default: the CLI operator, the first active owner)',
  },
} as const satisfies OptionSpecs

export const idOption = {
  id: { type: 'string', valueName: 'N', description: 'The request number', required: true },
} as const satisfies OptionSpecs

const AGENT_STDIN =
  "with --agent, the agent's password, first line (checked as the console re-authenticates, with the same limits)"
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
 * Whom an agent command acts as. With --agent, that person after their password, who must be an active
 * support agent, admin or owner; else the operator (another owner when the request is about the first).
 */
async function actingAgent(
  ctx: CliContext,
  services: Services,
  values: OptionValues,
  command: string,
  requestId?: number,
): Promise<SessionUser> {
  const email = stringOption(values, 'agent')
  if (email === undefined) {
    const subject = requestId === undefined ? undefined : getRecoveryRequest(services.db, requestId)
    return operator(services, subject?.user_id)
  }
  const { password } = await readCredentials(
    undefined,
    `printf '%s\\n' "$AGENT_PASSWORD" | tessera ${command} … --agent ${email}`,
  )
  const agent = await reauthenticate(services, ctx.client, email, password)
  if (!AGENT_ROLES.includes(agent.role)) {
    throw new AppError(
      'FORBIDDEN',
      `${agent.email} is a ${agent.role}: only support agents, admins and owners work on recovery requests.`,
    )
  }
  return agent
}

/** Checks --agent's email before anything is opened or read. */
function checkAgentFlag(values: OptionValues): void {
  const email = stringOption(values, 'agent')
  if (email !== undefined) validated(emailSchema, email, '--agent')
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
    options: { ...spec.options, ...agentOption },
    stdin: AGENT_STDIN,
    env: [PASSPHRASE_ENV],
    async run(ctx, values) {
      checkAgentFlag(values)
      const parsed = input(values)
      // The request's subject decides which owner the operator is (never the subject).
      const requestId =
        'requestId' in parsed && typeof parsed.requestId === 'number' ? parsed.requestId : undefined
      const name = command.path.join(' ')
      return ctx.withServices(async (s) =>
        act(s, ctx, await actingAgent(ctx, s, values, name, requestId), parsed),
      )
    },
  }
}
