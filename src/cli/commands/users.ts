import type { Services } from '../../main/core/services'
import type { InvitationDto, UserDetailDto } from '../../shared/dto'
import {
  createUserInputSchema,
  emailSchema,
  invitationCodeSchema,
  newPasswordSchema,
  roles,
  type Role,
} from '../../shared/schemas'
import type { OptionSpecs, OptionValues } from '../args'
import { stringOption, type Command, type CommandGroup } from '../command'
import type { CliContext } from '../context'
import { userByEmail } from '../credentials'
import { usageError } from '../errors'
import { confirm, operator, yesOption } from '../operator'
import { readPassword } from '../secrets'
import { validated } from '../validate'
import { iso, summaryJson } from './users-format'

export const usersGroup: CommandGroup = {
  name: 'users',
  summary:
    'Administer users: add and invite, list and show, require or reset 2FA, unlock, disable, change role, delete, import and export CSV. Whoever holds the database key runs these as the first active owner: the audit trail records that owner as the actor, with via "cli"',
}

export const PASSPHRASE_ENV =
  'TESSERA_DB_PASSPHRASE  the database passphrase, for a passphrase-protected database'
export const OPERATOR_NOTE = 'acts as the first active owner (the audit trail records that owner, via "cli")'

export const emailOption = {
  email: { type: 'string', valueName: 'EMAIL', description: "The user's email", required: true },
} as const satisfies OptionSpecs

export const emailOf = (values: OptionValues): string =>
  validated(emailSchema, stringOption(values, 'email'), '--email')

function invitationResult(inv: InvitationDto, heading: string) {
  const expiresAt = iso(inv.expiresAt)
  return {
    data: { userId: inv.userId, email: inv.email, invitationCode: inv.code, expiresAt },
    text: [
      heading,
      '',
      `  Invitation code  ${inv.code}`,
      `  Expires          ${expiresAt}`,
      '',
      "This code is shown only once. The person activates with it: on the console's sign-in screen",
      `("Activate an account"), or: tessera users activate --email ${inv.email} --code CODE (new password on stdin).`,
    ],
  }
}

export const addUserCommand: Command = {
  path: ['users', 'add'],
  summary: 'Add a user and print their single-use invitation code (valid 7 days), once',
  usage: 'users add --email EMAIL --name NAME --role ROLE [--require-2fa | --no-require-2fa]',
  options: {
    ...emailOption,
    name: { type: 'string', valueName: 'NAME', description: "The user's full name", required: true },
    role: { type: 'string', valueName: 'ROLE', description: 'Their role', required: true, choices: roles },
    'require-2fa': {
      type: 'boolean',
      description: 'Require two-factor authentication (default: the policy)',
    },
    'no-require-2fa': { type: 'boolean', description: 'Do not require two-factor authentication' },
  },
  env: [PASSPHRASE_ENV],
  examples: [
    "tessera users add --email mia@example.com --name 'Mia Member' --role member",
    'tessera users add --email sam@example.com --name Sam --role support --no-require-2fa --json',
  ],
  async run(ctx, values) {
    if (values['require-2fa'] && values['no-require-2fa']) {
      throw usageError('INVALID_VALUE', 'Give either --require-2fa or --no-require-2fa, not both.')
    }
    const input = validated(
      createUserInputSchema,
      {
        email: stringOption(values, 'email'),
        name: stringOption(values, 'name'),
        role: stringOption(values, 'role'),
        ...(values['require-2fa'] ? { requireTwoFactor: true } : {}),
        ...(values['no-require-2fa'] ? { requireTwoFactor: false } : {}),
      },
      'users add',
    )
    const inv = await ctx.withServices((s) => s.users.create(input, operator(s), ctx.client))
    return invitationResult(inv, `Added ${input.name} <${inv.email}> as ${input.role}.`)
  },
}

export const inviteCommand: Command = {
  path: ['users', 'invite'],
  summary: 'Issue a new invitation code for a user who has not activated yet; the old code stops working',
  usage: 'users invite --email EMAIL',
  options: { ...emailOption },
  env: [PASSPHRASE_ENV],
  examples: ['tessera users invite --email mia@example.com'],
  async run(ctx, values) {
    const email = emailOf(values)
    const inv = await ctx.withServices((s) => {
      const user = userByEmail(s, email)
      return s.users.resendInvitation(user.id, operator(s, user.id), ctx.client)
    })
    return invitationResult(inv, `New invitation for ${inv.email}; the previous code no longer works.`)
  },
}

export const activateCommand: Command = {
  path: ['users', 'activate'],
  summary: 'Activate an invited account with its invitation code and a new password',
  usage: 'users activate --email EMAIL --code CODE',
  options: {
    ...emailOption,
    code: { type: 'string', valueName: 'CODE', description: 'The invitation code', required: true },
  },
  stdin: 'the new password, first line (at least 12 characters, not a common password)',
  env: [PASSPHRASE_ENV],
  examples: [
    `printf '%s\\n' "$NEW_PASSWORD" | tessera users activate --email mia@example.com --code K7Q2M-XD94P-...`,
  ],
  async run(ctx, values) {
    const email = emailOf(values)
    const code = validated(invitationCodeSchema, stringOption(values, 'code'), '--code')
    return ctx.withServices(async (s) => {
      const password = validated(
        newPasswordSchema,
        await readPassword('New password', {
          isNew: true,
          example: `printf '%s\\n' "$NEW_PASSWORD" | tessera users activate --email ${email} --code CODE`,
        }),
        'password on stdin',
      )
      const { user, next } = await s.users.activate(email, code, password, ctx.client)
      return {
        data: { activated: true, user, next },
        text: [
          `Activated ${user.name} <${user.email}> (${user.role}).`,
          ...(next === 'enroll'
            ? [
                'Two-factor authentication is required: turn it on before signing in:',
                `tessera 2fa enroll --email ${user.email}, then tessera 2fa confirm (password on stdin).`,
              ]
            : []),
        ],
      }
    })
  },
}

interface ActionSpec {
  name: string
  summary: string
  options?: OptionSpecs
  /** The question asked before a destructive action; such commands take --yes. */
  confirm?: (email: string, values: OptionValues) => string
  done: (email: string, values: OptionValues) => string
  act(s: Services, ctx: CliContext, userId: number, values: OptionValues): void
}

/** One admin action on the user named by --email, run as the operator, then the user's new state. */
function actionCommand(spec: ActionSpec): Command {
  const options = { ...emailOption, ...spec.options, ...(spec.confirm ? yesOption : {}) }
  const extra = Object.entries(spec.options ?? {})
    .map(([n, o]) => ` --${n} ${o.valueName ?? ''}`.trimEnd())
    .join('')
  return {
    path: ['users', spec.name],
    summary: spec.summary,
    usage: `users ${spec.name} --email EMAIL${extra}${spec.confirm ? ' [--yes]' : ''}`,
    options,
    env: [PASSPHRASE_ENV],
    examples: [
      `tessera users ${spec.name} --email mia@example.com${extra.replace('ROLE', 'support')}${spec.confirm ? ' --yes' : ''}`,
    ],
    async run(ctx, values) {
      const email = emailOf(values)
      return ctx.withServices(async (s) => {
        const user = userByEmail(s, email)
        if (spec.confirm) await confirm(values, spec.confirm(user.email, values))
        spec.act(s, ctx, user.id, values)
        const after: UserDetailDto | null = spec.name === 'delete' ? null : s.users.detail(user.id)
        return {
          data: after
            ? { email: user.email, user: summaryJson(after.user) }
            : { email: user.email, deleted: true },
          text: [spec.done(user.email, values)],
        }
      })
    },
  }
}

const as = (s: Services, ctx: CliContext, userId: number) => [operator(s, userId), ctx.client] as const

export const userActionCommands: readonly Command[] = [
  actionCommand({
    name: 'require-2fa',
    summary:
      'Require two-factor authentication: the user must enroll at the next login (after any grace period)',
    done: (e) => `${e} must now use two-factor authentication.`,
    act: (s, ctx, id) => s.users.setRequireTwoFactor(id, true, ...as(s, ctx, id)),
  }),
  actionCommand({
    name: 'unrequire-2fa',
    summary: 'Stop requiring two-factor authentication (an enrolled authenticator stays)',
    done: (e) => `${e} is no longer required to use two-factor authentication.`,
    act: (s, ctx, id) => s.users.setRequireTwoFactor(id, false, ...as(s, ctx, id)),
  }),
  actionCommand({
    name: 'reset-2fa',
    summary: "Remove the user's authenticator and backup codes; they enroll again at the next login",
    confirm: (e) => `Reset two-factor authentication of ${e}?`,
    done: (e) => `Two-factor authentication of ${e} was reset: authenticator and backup codes removed.`,
    act: (s, ctx, id) => s.users.resetTwoFactor(id, ...as(s, ctx, id)),
  }),
  actionCommand({
    name: 'unlock',
    summary: 'Clear failed attempts and any lockout (password and second factor)',
    done: (e) => `${e} is unlocked.`,
    act: (s, ctx, id) => s.users.unlock(id, ...as(s, ctx, id)),
  }),
  actionCommand({
    name: 'disable',
    summary: 'Disable the account: it can no longer sign in (the last active owner cannot be disabled)',
    confirm: (e) => `Disable ${e}?`,
    done: (e) => `${e} is disabled.`,
    act: (s, ctx, id) => s.users.setDisabled(id, true, ...as(s, ctx, id)),
  }),
  actionCommand({
    name: 'enable',
    summary: 'Enable a disabled account again',
    done: (e) => `${e} is enabled.`,
    act: (s, ctx, id) => s.users.setDisabled(id, false, ...as(s, ctx, id)),
  }),
  actionCommand({
    name: 'role',
    summary: "Change the user's role (the last active owner stays an owner)",
    options: {
      role: {
        type: 'string',
        valueName: 'ROLE',
        description: 'The new role',
        required: true,
        choices: roles,
      },
    },
    done: (e, v) => `${e} is now ${String(v.role)}.`,
    act: (s, ctx, id, v) => s.users.changeRole(id, stringOption(v, 'role') as Role, ...as(s, ctx, id)),
  }),
  actionCommand({
    name: 'delete',
    summary: 'Delete the account (its audit history stays; the last active owner cannot be deleted)',
    confirm: (e) => `Delete the account ${e}? This cannot be undone.`,
    done: (e) => `${e} was deleted; its audit history stays.`,
    act: (s, ctx, id) => s.users.delete(id, ...as(s, ctx, id)),
  }),
]
