import type { Services } from '../../main/core/services'
import type { EmailOutboxEntryDto, InvitationDto, UserDetailDto } from '../../shared/dto'
import {
  createUserInputSchema,
  emailSchema,
  invitationCodeSchema,
  roles,
  type Role,
} from '../../shared/schemas'
import type { OptionSpecs, OptionValues } from '../args'
import { stringOption, type Command, type CommandGroup } from '../command'
import type { CliContext } from '../context'
import { usageError } from '../errors'
import { ACTOR_STDIN, actingAs, actorFlag, actorOptions, confirm, yesOption } from '../actor'
import { codeFromStdinFlag, readPasswordAndCode } from '../credentials'
import type { Actor } from '../../main/core/actor'
import { validated } from '../validate'
import { iso, summaryJson } from './users-format'
import { emailWarning, lastEmailTo } from './email-format'

export const usersGroup: CommandGroup = {
  name: 'users',
  summary:
    'Administer users: add and invite, list and show, require or reset 2FA, unlock, disable, change role, delete, import and export CSV. Each runs as the person named by --as (their password, and app code, on stdin), under the same rules as the console; the audit trail names them',
}

export const PASSPHRASE_ENV =
  'TESSERA_DB_PASSPHRASE  the database passphrase, for a passphrase-protected database'

export const emailOption = {
  email: { type: 'string', valueName: 'EMAIL', description: "The user's email", required: true },
} as const satisfies OptionSpecs

export const emailOf = (values: OptionValues): string =>
  validated(emailSchema, stringOption(values, 'email'), '--email')

/** How the invitation email went, when the code was emailed: the outbox entry just tried. */
type InvitationEmail = EmailOutboxEntryDto | undefined

/** The invitation as printed: the code shown once, or where it was emailed (and whether it left). */
function invitationResult(inv: InvitationDto, heading: string, sent: InvitationEmail) {
  const expiresAt = iso(inv.expiresAt)
  const data = {
    userId: inv.userId,
    email: inv.email,
    invitationCode: inv.code,
    emailedTo: inv.emailedTo,
    expiresAt,
    ...(inv.emailedTo ? { emailStatus: sent?.status ?? null, emailError: sent?.lastError ?? null } : {}),
  }
  if (inv.emailedTo !== null || inv.code === null) {
    const to = inv.emailedTo ?? inv.email
    const warning = emailWarning(
      'The invitation',
      sent,
      `send a new one (tessera users invite --email ${inv.email})`,
    )
    return {
      data,
      text: [
        heading,
        '',
        `Invitation sent by email to ${to}; the code in it works once, until ${expiresAt}.`,
        ...(warning ? [warning] : []),
        "Nobody else sees the code. The person activates with it: on the console's sign-in screen",
        `("I have an invitation code"), or (the new password, then the code, on stdin): ${activateExample(inv.email)}`,
      ],
    }
  }
  return {
    data,
    text: [
      heading,
      '',
      `  Invitation code  ${inv.code}`,
      `  Expires          ${expiresAt}`,
      '',
      "This code is shown only once. The person activates with it: on the console's sign-in screen",
      `("Activate an account"), or (the new password, then this code, on stdin): ${activateExample(inv.email)}`,
    ],
  }
}

/** The invitation email just queued and tried for `inv`, if it was emailed. */
const invitationEmailOf = (s: Services, inv: InvitationDto): Promise<InvitationEmail> =>
  inv.emailedTo ? lastEmailTo(s, inv.emailedTo, 'invitation') : Promise.resolve(undefined)

export const addUserCommand: Command = {
  path: ['users', 'add'],
  summary: 'Add a user and print their single-use invitation code (valid 7 days), once',
  usage:
    'users add --email EMAIL --name NAME --role ROLE (--as EMAIL | --key-holder) [--require-2fa | --no-require-2fa]',
  options: {
    ...emailOption,
    ...actorOptions,
    name: { type: 'string', valueName: 'NAME', description: "The user's full name", required: true },
    role: { type: 'string', valueName: 'ROLE', description: 'Their role', required: true, choices: roles },
    'require-2fa': {
      type: 'boolean',
      description: 'Require two-factor authentication (default: the policy)',
    },
    'no-require-2fa': { type: 'boolean', description: 'Do not require two-factor authentication' },
  },
  stdin: ACTOR_STDIN,
  env: [PASSPHRASE_ENV],
  examples: [
    `printf '%s\\n%s\\n' "$PASSWORD" "$APP_CODE" | tessera users add --email mia@example.com --name 'Mia Member' --role member --as ada@example.com`,
    `printf '%s\\n' "$PASSWORD" | tessera users add --email sam@example.com --name Sam --role support --no-require-2fa --as ada@example.com --json`,
  ],
  async run(ctx, values) {
    const flag = actorFlag(values)
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
    const { inv, sent } = await ctx.withServices(async (s) => {
      const inv = await s.users.create(input, await actingAs(ctx, s, flag, 'users.manage'), ctx.client)
      return { inv, sent: await invitationEmailOf(s, inv) }
    })
    return invitationResult(inv, `Added ${input.name} <${inv.email}> as ${input.role}.`, sent)
  },
}

export const inviteCommand: Command = {
  path: ['users', 'invite'],
  summary: 'Issue a new invitation code for a user who has not activated yet; the old code stops working',
  usage: 'users invite --email EMAIL (--as EMAIL | --key-holder)',
  options: { ...emailOption, ...actorOptions },
  stdin: ACTOR_STDIN,
  env: [PASSPHRASE_ENV],
  examples: [
    `printf '%s\\n' "$PASSWORD" | tessera users invite --email mia@example.com --as ada@example.com`,
  ],
  async run(ctx, values) {
    const email = emailOf(values)
    const flag = actorFlag(values)
    const { inv, sent } = await ctx.withServices(async (s) => {
      const actor = await actingAs(ctx, s, flag, 'users.manage')
      const inv = await s.users.resendInvitation((await s.users.byEmail(email)).id, actor, ctx.client)
      return { inv, sent: await invitationEmailOf(s, inv) }
    })
    return invitationResult(inv, `New invitation for ${inv.email}; the previous code no longer works.`, sent)
  },
}

const activateExample = (email: string): string =>
  `printf '%s\\n%s\\n' "$NEW_PASSWORD" "$INVITATION_CODE" | tessera users activate --email ${email} --code -`

export const activateCommand: Command = {
  path: ['users', 'activate'],
  summary: 'Activate an invited account with its invitation code and a new password',
  usage: 'users activate --email EMAIL --code -',
  options: {
    ...emailOption,
    code: {
      type: 'string',
      valueName: '-',
      description:
        'The invitation code, read from the line of stdin after the new password (only "-" is accepted, so it never reaches argv)',
      required: true,
    },
  },
  stdin:
    'the new password, first line (at least 12 characters with 2FA required, else 15; not a common password), then the invitation code',
  env: [PASSPHRASE_ENV],
  examples: [activateExample('mia@example.com')],
  async run(ctx, values) {
    const email = emailOf(values)
    codeFromStdinFlag(values, 'code', 'An invitation code', activateExample(email))
    return ctx.withServices(async (s) => {
      // Length and strength are the core's to judge: 15 characters, or 12 where 2FA is required.
      const { password, code } = await readPasswordAndCode(
        activateExample(email),
        {
          label: 'Invitation code',
          flag: '--code -',
          missingReason: 'NO_INVITATION_CODE',
          schema: invitationCodeSchema,
        },
        { isNew: true },
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
  done: (email: string, values: OptionValues, outcome: ActionOutcome) => string
  act(
    s: Services,
    ctx: CliContext,
    userId: number,
    values: OptionValues,
    actor: Actor,
  ): Promise<ActionOutcome | void>
}

/** What an action reports beyond the user's new state: a reset that now waits for two approvers. */
interface ActionOutcome {
  pendingRequestId?: number | null
}

/** One admin action on the user named by --email, run as the person named by --as, then the user's new state. */
function actionCommand(spec: ActionSpec): Command {
  const options = { ...emailOption, ...actorOptions, ...spec.options, ...(spec.confirm ? yesOption : {}) }
  const extra = Object.entries(spec.options ?? {})
    .map(([n, o]) => ` --${n} ${o.valueName ?? ''}`.trimEnd())
    .join('')
  return {
    path: ['users', spec.name],
    summary: spec.summary,
    usage: `users ${spec.name} --email EMAIL${extra} (--as EMAIL | --key-holder)${spec.confirm ? ' [--yes]' : ''}`,
    options,
    stdin: ACTOR_STDIN,
    env: [PASSPHRASE_ENV],
    examples: [
      `printf '%s\\n%s\\n' "$PASSWORD" "$APP_CODE" | tessera users ${spec.name} --email mia@example.com${extra.replace('ROLE', 'support')} --as ada@example.com${spec.confirm ? ' --yes' : ''}`,
    ],
    async run(ctx, values) {
      const email = emailOf(values)
      const flag = actorFlag(values)
      return ctx.withServices(async (s) => {
        const user = await s.users.byEmail(email)
        if (spec.confirm) await confirm(values, spec.confirm(user.email, values))
        const actor = await actingAs(ctx, s, flag, 'users.manage')
        const outcome = (await spec.act(s, ctx, user.id, values, actor)) ?? {}
        const after: UserDetailDto | null = spec.name === 'delete' ? null : await s.users.detail(user.id)
        return {
          data: after
            ? { email: user.email, user: summaryJson(after.user), ...outcome }
            : { email: user.email, deleted: true },
          text: [spec.done(user.email, values, outcome)],
        }
      })
    },
  }
}

export const userActionCommands: readonly Command[] = [
  actionCommand({
    name: 'require-2fa',
    summary:
      'Require two-factor authentication: the user must enroll at the next login (after any grace period)',
    done: (e) => `${e} must now use two-factor authentication.`,
    act: (s, ctx, id, _v, actor) => s.users.setRequireTwoFactor(id, true, actor, ctx.client),
  }),
  actionCommand({
    name: 'unrequire-2fa',
    summary: 'Stop requiring two-factor authentication (an enrolled authenticator stays)',
    done: (e) => `${e} is no longer required to use two-factor authentication.`,
    act: (s, ctx, id, _v, actor) => s.users.setRequireTwoFactor(id, false, actor, ctx.client),
  }),
  actionCommand({
    name: 'reset-2fa',
    summary:
      "Remove the user's authenticator and backup codes; they may only enroll again. For an admin or owner with 2FA on, this files a recovery request that two approvers must approve",
    confirm: (e) => `Reset two-factor authentication of ${e}?`,
    done: (e, _v, o) =>
      o.pendingRequestId
        ? `${e} is an admin or owner: one person cannot remove their second factor. Recovery request #${o.pendingRequestId} now waits for identity checks and two approvers of their rank (tessera recovery check/approve --id ${o.pendingRequestId}).`
        : `Two-factor authentication of ${e} was reset: authenticator and backup codes removed; they must enroll again at their next sign-in.`,
    act: (s, ctx, id, _v, actor) => s.users.resetTwoFactor(id, actor, ctx.client),
  }),
  actionCommand({
    name: 'unlock',
    summary: 'Clear failed attempts and any lockout (password and second factor)',
    done: (e) => `${e} is unlocked.`,
    act: (s, ctx, id, _v, actor) => s.users.unlock(id, actor, ctx.client),
  }),
  actionCommand({
    name: 'disable',
    summary: 'Disable the account: it can no longer sign in (the last active owner cannot be disabled)',
    confirm: (e) => `Disable ${e}?`,
    done: (e) => `${e} is disabled.`,
    act: (s, ctx, id, _v, actor) => s.users.setDisabled(id, true, actor, ctx.client),
  }),
  actionCommand({
    name: 'enable',
    summary: 'Enable a disabled account again',
    done: (e) => `${e} is enabled.`,
    act: (s, ctx, id, _v, actor) => s.users.setDisabled(id, false, actor, ctx.client),
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
    act: (s, ctx, id, v, actor) => s.users.changeRole(id, stringOption(v, 'role') as Role, actor, ctx.client),
  }),
  actionCommand({
    name: 'delete',
    summary: 'Delete the account (its audit history stays; the last active owner cannot be deleted)',
    confirm: (e) => `Delete the account ${e}? This cannot be undone.`,
    done: (e) => `${e} was deleted; its audit history stays.`,
    act: (s, ctx, id, _v, actor) => s.users.delete(id, actor, ctx.client),
  }),
]
