import { z } from 'zod'
import { isProtectivePolicyField } from '../../shared/access'
import { policySchema, policyUpdateSchema, type Policy } from '../../shared/schemas'
import type { OptionSpec, OptionSpecs, OptionValues } from '../args'
import { stringOption, type Command, type CommandGroup } from '../command'
import { usageError } from '../errors'
import { ACTOR_STDIN, actingAs, actorFlag, actorOptions } from '../actor'
import { textTable } from '../output'
import { PASSPHRASE_ENV } from './users'

export const policyGroup: CommandGroup = {
  name: 'policy',
  summary:
    'Show or change the policy (idle lock, sessions, lockout, 2FA for new users, grace period, recovery, notices, default language), under the same rules as the console',
}

type Field = keyof Policy

/** The policy's fields in the contract's order: one flag each, the field's name in kebab-case. */
const FIELDS = Object.keys(policySchema.shape) as Field[]
const flagOf = (field: Field): string => field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)

/** What each field means, for help; a field missing here does not compile. */
const MEANING: Record<Field, { valueName: string; description: string }> = {
  idleLockMinutes: { valueName: 'MINUTES', description: 'Minutes of inactivity before the console locks' },
  sessionLifetimeHours: {
    valueName: 'HOURS',
    description: 'Hours after which every session ends, however active',
  },
  failuresBeforeDelay: {
    valueName: 'N',
    description: 'Consecutive failed attempts before each further attempt must wait',
  },
  failuresBeforeLock: {
    valueName: 'N',
    description: 'Consecutive failed attempts that lock the account',
  },
  lockMinutes: { valueName: 'MINUTES', description: 'How long a locked account stays locked' },
  requireTwoFactorForNewUsers: { valueName: 'BOOL', description: 'New users are created with 2FA required' },
  gracePeriodDays: {
    valueName: 'DAYS',
    description: 'Days a person required to have 2FA may still sign in without it (0: none)',
  },
  recoveryCoolingOffMinutes: {
    valueName: 'MINUTES',
    description:
      'Minutes between a recovery approval and the temporary access code (0: none; at least 15 for admins and owners)',
  },
  recoveryRequestHours: {
    valueName: 'HOURS',
    description: 'Hours a recovery request stays open before it expires unanswered',
  },
  noticesBy: {
    valueName: 'HOW',
    description: 'How people hear of changes to their account: email, SMS to a verified phone, or both',
  },
  defaultLanguage: {
    valueName: 'LANG',
    description:
      'The language of the emails and SMS of people who have not chosen one: en (English) or es (Spanish)',
  },
}

const fieldSchema = (field: Field): z.ZodType => policySchema.shape[field]

/** A number field's bounds, as the contract's schema sets them. */
function rangeOf(field: Field): { min: number; max: number } | undefined {
  const schema = fieldSchema(field)
  if (!(schema instanceof z.ZodNumber)) return undefined
  return { min: schema.minValue ?? 0, max: schema.maxValue ?? Number.MAX_SAFE_INTEGER }
}

const choicesOf = (field: Field): readonly string[] | undefined => {
  const schema = fieldSchema(field)
  if (schema instanceof z.ZodBoolean) return ['true', 'false']
  if (schema instanceof z.ZodEnum) return schema.options as string[]
  return undefined
}

const mayChange = (field: Field): string => (isProtectivePolicyField(field) ? 'owners' : 'owners, admins')
const mayChangeNote = (field: Field): string =>
  isProtectivePolicyField(field) ? 'owners only' : 'owners and admins'

function fieldOption(field: Field): OptionSpec {
  const range = rangeOf(field)
  const choices = choicesOf(field)
  return {
    type: 'string',
    valueName: MEANING[field].valueName,
    description: `${MEANING[field].description}${range ? `, ${range.min}–${range.max}` : ''}; ${mayChangeNote(field)}`,
    ...(choices ? { choices } : {}),
  }
}

const policyOptions: OptionSpecs = Object.fromEntries(FIELDS.map((f) => [flagOf(f), fieldOption(f)]))

const wholeNumberMessage = (field: Field): string => {
  const range = rangeOf(field)!
  return `--${flagOf(field)} must be a whole number from ${range.min} to ${range.max}.`
}

/**
 * The flags given, as a partial policy checked by the contract's schema (the one the console's form and
 * the IPC gate use). A value the schema refuses names its flag; nothing is opened before this passes.
 */
function policyChanges(values: OptionValues): Partial<Policy> {
  const raw: Record<string, unknown> = {}
  for (const field of FIELDS) {
    const value = stringOption(values, flagOf(field))
    if (value === undefined) continue
    if (rangeOf(field)) {
      if (!/^-?\d+$/.test(value)) throw usageError('INVALID_VALUE', wholeNumberMessage(field))
      raw[field] = Number(value)
    } else if (fieldSchema(field) instanceof z.ZodBoolean) {
      raw[field] = value === 'true'
    } else {
      raw[field] = value
    }
  }
  if (Object.keys(raw).length === 0) {
    throw usageError(
      'MISSING_OPTION',
      `Give at least one setting to change: ${FIELDS.map((f) => `--${flagOf(f)}`).join(', ')}. See "tessera policy set --help".`,
    )
  }
  const parsed = policyUpdateSchema.safeParse(raw)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  const field = issue?.path[0] as Field
  throw usageError(
    'INVALID_VALUE',
    rangeOf(field)
      ? wholeNumberMessage(field)
      : `--${flagOf(field)}: ${(issue?.message ?? 'invalid value').replace(/\.$/, '')}.`,
  )
}

function policyLines(policy: Policy): string[] {
  return [
    ...textTable(
      ['SETTING', 'VALUE', 'CHANGED BY'],
      FIELDS.map((f) => [flagOf(f), String(policy[f]), mayChange(f)]),
    ),
    '',
    'Change a setting with tessera policy set --SETTING VALUE (see tessera policy set --help).',
  ]
}

export const policyShowCommand: Command = {
  path: ['policy', 'show'],
  summary: 'Show the policy in force: every setting, its value, and who may change it',
  usage: 'policy show (--as EMAIL | --key-holder)',
  options: { ...actorOptions },
  stdin: ACTOR_STDIN,
  env: [PASSPHRASE_ENV],
  examples: [
    `printf '%s\\n%s\\n' "$PASSWORD" "$APP_CODE" | tessera policy show --as ada@example.com`,
    `printf '%s\\n' "$PASSWORD" | tessera policy show --json --as mia@example.com`,
  ],
  async run(ctx, values) {
    const flag = actorFlag(values)
    // Every signed-in person may read it: the console shows it to everyone.
    const policy = await ctx.withServices(async (s) => {
      await actingAs(ctx, s, flag, 'own-account')
      return s.policy.get()
    })
    return { data: policy, text: policyLines(policy) }
  },
}

export const policySetCommand: Command = {
  path: ['policy', 'set'],
  summary:
    'Change the settings given and keep the others (owners: all; admins: 2FA for new users, grace period); audited, and owners are told',
  usage: 'policy set --SETTING VALUE… (--as EMAIL | --key-holder)',
  options: { ...policyOptions, ...actorOptions },
  stdin: ACTOR_STDIN,
  env: [PASSPHRASE_ENV],
  examples: [
    `printf '%s\\n%s\\n' "$PASSWORD" "$APP_CODE" | tessera policy set --grace-period-days 7 --recovery-cooling-off-minutes 30 --as ada@example.com`,
    `printf '%s\\n%s\\n' "$PASSWORD" "$APP_CODE" | tessera policy set --notices-by email --json --as ada@example.com`,
  ],
  async run(ctx, values) {
    const flag = actorFlag(values)
    // Everything in argv is checked before anything is opened or read.
    const changes = policyChanges(values)
    const { before, after } = await ctx.withServices(async (s) => {
      const actor = await actingAs(ctx, s, flag, 'policy.change')
      // Read for the report only; who may change what, the audit event and the owners' notice are the
      // use case's, as for the console.
      const before = await s.policy.get()
      return { before, after: await s.settings.updatePolicy(changes, actor, ctx.client) }
    })
    const changed = FIELDS.filter((f) => before[f] !== after[f])
    return {
      data: { policy: after, changed },
      text: [
        ...(changed.length === 0
          ? ['Nothing changed: the policy already has these values.']
          : changed.map((f) => `Changed ${flagOf(f)}: ${String(before[f])} → ${String(after[f])}.`)),
        ...(changed.some(isProtectivePolicyField)
          ? ['Every owner is told of this change (by email and/or SMS, as notices-by says).']
          : []),
        '',
        ...policyLines(after),
      ],
    }
  },
}

export const policyCommands: readonly Command[] = [policyShowCommand, policySetCommand]
