import type { SecondFactor } from '../../main/core/two-factor'
import type { PasswordAdminResetDto } from '../../shared/dto'
import { AppError } from '../../shared/result'
import {
  backupCodeSchema,
  emailSchema,
  passwordChangeInputSchema,
  passwordResetWithCodeInputSchema,
  passwordSchema,
  resetCodeSchema,
  totpCodeSchema,
} from '../../shared/schemas'
import type { OptionSpecs } from '../args'
import { stringOption, type Command, type CommandGroup } from '../command'
import type { CliContext } from '../context'
import { codeFromStdinFlag } from '../credentials'
import { usageError } from '../errors'
import { ACTOR_STDIN, actingAs, actorFlag, actorOptions } from '../actor'
import { nextSecret, readPassword } from '../secrets'
import { validated, validatedOptions } from '../validate'
import { emailWarning, lastEmailTo, SMTP_CA_ENV } from './email-format'
import { emailOf, emailOption, PASSPHRASE_ENV } from './users'
import { iso } from './users-format'

export const passwordGroup: CommandGroup = {
  name: 'password',
  summary:
    "Change your own password, reset a forgotten one with a code sent by email, or (owners and admins) reset someone else's",
}

const changeExample = (email: string, secondFactor = true): string =>
  secondFactor
    ? `printf '%s\\n%s\\n%s\\n%s\\n' "$PASSWORD" "$APP_CODE" "$NEW_PASSWORD" "$NEW_PASSWORD" | tessera password change --as ${email}`
    : `printf '%s\\n%s\\n%s\\n' "$PASSWORD" "$NEW_PASSWORD" "$NEW_PASSWORD" | tessera password change --as ${email}`

const resetExample = (email: string): string =>
  `printf '%s\\n%s\\n%s\\n' "$RESET_CODE" "$NEW_PASSWORD" "$NEW_PASSWORD" | tessera password forgot --email ${email} --code -`

const loginExample = (email: string, secondFactor: boolean): string =>
  secondFactor
    ? `printf '%s\\n%s\\n' "$PASSWORD" "$APP_CODE" | tessera login --email ${email} --code -`
    : `printf '%s\\n' "$PASSWORD" | tessera login --email ${email}`

/**
 * The new password, twice: on a terminal asked twice without echo; piped, the next two lines. The two
 * must be the same (nothing is changed otherwise).
 */
async function readNewPasswordTwice(example: string): Promise<string> {
  if (process.stdin.isTTY) return readPassword('New password', { isNew: true, example })
  const first = await readPassword('New password', { example })
  const again = await nextSecret('New password again')
  if (again === undefined) {
    throw usageError('NO_PASSWORD', `Pipe the new password twice, on two lines, e.g. ${example}`)
  }
  if (first !== again) {
    throw usageError('SECRETS_DIFFER', 'The two new passwords are not the same; nothing was changed.')
  }
  return first
}

/**
 * What can be told of a new password before anything is spent: the policy's rules that hold for every
 * account (12 characters at least, not common, not the email) and that it differs from the password
 * typed as the current one. The core checks again with the exact rule for the account (15 characters
 * where the password alone signs in) — but only after the app code or backup code was used up, or the
 * attempt counted, so what can be refused here is refused here.
 */
function precheckNewPassword(ctx: CliContext, email: string, password: string, current?: string): void {
  ctx.passwordPolicy().check(password, { email }, { passwordAlone: false })
  if (current !== undefined && password === current) {
    const message = 'Choose a password different from the current one.'
    throw new AppError('WEAK_PASSWORD', message, { fields: { newPassword: message } })
  }
}

/** The app code or backup code on the line after the current password, for an account with 2FA. */
async function secondFactorLine(email: string): Promise<SecondFactor> {
  const line = (await nextSecret('Authenticator app code (or a backup code)'))?.trim()
  if (!line) {
    throw new AppError(
      'SECOND_FACTOR_REQUIRED',
      `${email} has two-factor authentication: give the current app code (or a backup code) on the line after the current password, then the new password twice: ${changeExample(email)}`,
    )
  }
  if (/^\d{6}$/.test(line)) return { code: validated(totpCodeSchema, line, 'app code on stdin') }
  const backup = backupCodeSchema.safeParse(line)
  if (backup.success) return { backupCode: backup.data }
  throw usageError(
    'INVALID_VALUE',
    `${email} has two-factor authentication: the line after the current password must be the app code (6 digits) or a backup code, then the new password twice: ${changeExample(email)}`,
  )
}

const asOption = {
  as: {
    type: 'string',
    valueName: 'EMAIL',
    description:
      'Your email: you change your own password (the current one, and your app code when you have 2FA, on stdin)',
    required: true,
  },
} as const satisfies OptionSpecs

export const passwordChangeCommand: Command = {
  path: ['password', 'change'],
  summary:
    'Change your own password: the current one (and your app code or a backup code with 2FA), then the new one twice',
  usage: 'password change --as EMAIL',
  options: asOption,
  stdin:
    'your current password (first line); with 2FA on, your current app code or a backup code (next line); then the new password, twice (two lines). On a terminal each is asked without echo',
  env: [PASSPHRASE_ENV],
  examples: [changeExample('ada@example.com'), `${changeExample('sam@example.com', false)}  # without 2FA`],
  async run(ctx, values) {
    const email = validated(emailSchema, stringOption(values, 'as'), '--as')
    return ctx.withServices(async (s) => {
      // The person is found by email, not signed in: change() checks the current password (with the
      // limits of a login) and the second factor itself, so the app code is spent once.
      const user = await s.users.byEmail(email).catch((e: unknown) => {
        if (e instanceof AppError && e.code === 'NOT_FOUND') return undefined
        throw e
      })
      const enrolled = user ? await s.twoFactor.isEnrolled(user.id) : false
      const current = validated(
        passwordSchema,
        await readPassword('Current password', { example: changeExample(email, enrolled) }),
        'current password on stdin',
      )
      const secondFactor = enrolled ? await secondFactorLine(email) : undefined
      const newPassword = await readNewPasswordTwice(changeExample(email, enrolled))
      precheckNewPassword(ctx, email, newPassword, current)
      const input = validatedOptions(
        passwordChangeInputSchema,
        { currentPassword: current, secondFactor, newPassword, confirmPassword: newPassword },
        { currentPassword: 'current password on stdin', newPassword: 'new password on stdin' },
        'password change',
      )
      // An unknown email, or an account that cannot sign in (invited, disabled), gets the answer a
      // sign-in would give, after the same password check: exit 3 (or 9 for a disabled account).
      const refuse = async (): Promise<never> => {
        await s.auth.reauthenticate(email, current, ctx.client)
        throw new AppError('FORBIDDEN', 'This account cannot change its password now.')
      }
      if (!user) return refuse()
      let changed
      try {
        changed = await s.passwords.change(user.id, input, ctx.client)
      } catch (e) {
        if (e instanceof AppError && e.code === 'UNAUTHENTICATED') return refuse()
        throw e
      }
      return {
        data: { email: user.email, changed: true, ...changed },
        text: [
          `Changed the password of ${user.email}. Every other session was signed out (consoles and the CLI).`,
          enrolled
            ? 'Two-factor authentication is unchanged: signing in still takes the app code (or a backup code).'
            : 'Use the new password from now on.',
        ],
      }
    })
  },
}

export const passwordForgotCommand: Command = {
  path: ['password', 'forgot'],
  summary:
    '"Forgot password?": have a reset code emailed (the same answer for every address); with --code -, set a new password with it',
  usage: 'password forgot --email EMAIL [--code -]',
  options: {
    ...emailOption,
    code: {
      type: 'string',
      valueName: '-',
      description:
        'Finish the reset: the reset code from the email (or from an administrator), read from stdin\'s first line, then the new password twice (only "-" is accepted, so the code never reaches argv)',
    },
  },
  stdin:
    'without --code: nothing. With --code -: the reset code (first line), then the new password twice (two lines); on a terminal each is asked without echo',
  env: [PASSPHRASE_ENV, SMTP_CA_ENV],
  examples: ['tessera password forgot --email mia@example.com', resetExample('mia@example.com')],
  async run(ctx, values) {
    const email = emailOf(values)
    const finishing = codeFromStdinFlag(values, 'code', 'A password reset code', resetExample(email))
    if (!finishing) {
      return ctx.withServices(async (s) => {
        const { answer, delivery } = await s.passwords.forgot(email, ctx.client)
        // The answer first, whatever the address; the email (if any) leaves after it, before the end.
        if (!ctx.json) {
          const then = answer.emailDelivered
            ? [`Then, with the code from the email: ${resetExample(email)}`]
            : []
          process.stdout.write(`${[answer.message, ...then].join('\n')}\n`)
        }
        await delivery
        return { data: answer }
      })
    }
    return ctx.withServices(async (s) => {
      const typed = await nextSecret('Reset code')
      if (!typed) {
        throw usageError(
          'NO_RESET_CODE',
          `With --code -, pipe the reset code as the first line, then the new password twice, e.g. ${resetExample(email)}`,
        )
      }
      const code = validated(resetCodeSchema, typed, 'reset code on stdin')
      const newPassword = await readNewPasswordTwice(resetExample(email))
      precheckNewPassword(ctx, email, newPassword)
      const input = validatedOptions(
        passwordResetWithCodeInputSchema,
        { email, code, newPassword, confirmPassword: newPassword },
        { code: 'reset code on stdin', newPassword: 'new password on stdin' },
        'password forgot',
      )
      const done = await s.passwords.resetWithCode(input, ctx.client)
      return {
        data: { email: done.email, passwordChanged: true, secondFactorRequired: done.secondFactorRequired },
        text: [
          `The password of ${done.email} was changed; every session was signed out. The reset code no longer works.`,
          done.secondFactorRequired
            ? `Two-factor authentication is unchanged: signing in still takes the app code (or a backup code): ${loginExample(done.email, true)}`
            : `Sign in with it: ${loginExample(done.email, false)}`,
        ],
      }
    })
  },
}

export const passwordResetCommand: Command = {
  path: ['password', 'reset'],
  summary:
    "Reset someone's password: a one-time code (30 minutes) by email, or shown once when no email leaves this Tessera; for an admin or owner, a recovery request for two approvers",
  usage: 'password reset --email EMAIL (--as EMAIL | --key-holder)',
  options: { ...emailOption, ...actorOptions },
  stdin: ACTOR_STDIN,
  env: [PASSPHRASE_ENV, SMTP_CA_ENV],
  examples: [
    `printf '%s\\n%s\\n' "$PASSWORD" "$APP_CODE" | tessera password reset --email mia@example.com --as ada@example.com`,
  ],
  async run(ctx, values) {
    const email = emailOf(values)
    const flag = actorFlag(values)
    return ctx.withServices(async (s) => {
      const actor = await actingAs(ctx, s, flag, 'users.manage')
      const user = await s.users.byEmail(email)
      const outcome: PasswordAdminResetDto = await s.passwords.adminReset(user.id, actor, ctx.client)
      const who = `${user.name} <${user.email}>`
      if (outcome.outcome === 'pending') {
        return {
          data: { email: user.email, ...outcome },
          text: [
            `${who} ${user.role === 'owner' || user.role === 'admin' ? `is ${user.role === 'owner' ? 'an owner' : 'an admin'}` : 'was an admin or owner in the last 7 days'}: one person cannot reset their password.`,
            `Recovery request #${outcome.requestId} now waits for identity checks and two approvers of their rank (tessera recovery check/approve --id ${outcome.requestId}); then tessera recovery issue-code --id ${outcome.requestId} sends them the reset code.`,
          ],
        }
      }
      const until = iso(outcome.expiresAt)!
      if (outcome.outcome === 'emailed') {
        const entry = await lastEmailTo(s, outcome.to, 'password_reset')
        const warning = emailWarning(
          'The reset code',
          entry,
          `reset again (tessera password reset --email ${user.email})`,
        )
        return {
          data: {
            email: user.email,
            ...outcome,
            expiresAt: until,
            emailStatus: entry?.status ?? null,
            emailError: entry?.lastError ?? null,
          },
          text: [
            `Sent a password reset code by email to ${outcome.to} (${who}); it works once, until ${until}.`,
            ...(warning ? [warning] : []),
            'Nobody else sees it. They set a new password with it (their two-factor authentication, if any, stays as it is):',
            `  ${resetExample(user.email)}`,
            'Their current password works until then. Resetting again revokes this code.',
          ],
        }
      }
      return {
        data: { email: user.email, ...outcome, expiresAt: until },
        text: [
          `Password reset code for ${who} (this Tessera sends no email, so it is shown here):`,
          '',
          `  ${outcome.code}`,
          '',
          `Pass it on to the person now, on a channel you trust. It will never be shown again. It works once, until ${until}:`,
          `  ${resetExample(user.email)}`,
          'Their two-factor authentication, if any, stays as it is. Resetting again revokes this code.',
        ],
      }
    })
  },
}

export const passwordCommands: readonly Command[] = [
  passwordChangeCommand,
  passwordForgotCommand,
  passwordResetCommand,
]
