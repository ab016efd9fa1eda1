import { resolve } from 'node:path'
import { qrPng } from '../../main/core/qr'
import type { Services } from '../../main/core/services'
import type { TwoFactorStatus } from '../../main/core/two-factor'
import type { SessionUser } from '../../shared/dto'
import { AppError } from '../../shared/result'
import { emailSchema } from '../../shared/schemas'
import type { OptionValues } from '../args'
import { stringOption, type Command, type CommandGroup } from '../command'
import type { CliContext } from '../context'
import {
  codeOption,
  credentialsExample,
  factorFromFlags,
  type FactorFlag,
  readCredentials,
  secondFactorOptions,
} from '../credentials'
import { usageError } from '../errors'
import { writeFileAtomically } from '../files'
import { validated } from '../validate'

export const twoFactorGroup: CommandGroup = {
  name: '2fa',
  summary: "Turn on, inspect and manage a user's two-factor authentication (authenticator app, backup codes)",
}

const PASSPHRASE_ENV = 'TESSERA_DB_PASSPHRASE  the database passphrase, for a passphrase-protected database'
const PASSWORD_STDIN =
  "the user's password, first line (checked again, as the console does before changing 2FA)"
const PASSWORD_AND_CODE_STDIN = `${PASSWORD_STDIN}; with --code -, the app code on the second line`
const emailOption = {
  email: { type: 'string', valueName: 'EMAIL', description: "The user's email", required: true },
} as const

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString())
const emailOf = (values: OptionValues): string =>
  validated(emailSchema, stringOption(values, 'email'), '--email')
const example = (email: string, rest: string): string =>
  `printf '%s\\n' "$PASSWORD" | tessera 2fa ${rest.replace('EMAIL', email)}`

/** Backup codes as people read them, with the warning that this is the only time they appear. */
function backupCodeLines(heading: string, codes: readonly string[]): string[] {
  return [
    heading,
    '',
    ...codes.map((c, i) => `  ${i + 1}. ${c}`),
    '',
    'These codes are shown only once: store them now, somewhere safe and away from the phone with the app.',
    'Each works once, in place of an app code.',
  ]
}

/** The QR code as a PNG readable only by its owner (it holds the secret), replaced atomically. */
async function writeQrFile(path: string, uri: string): Promise<void> {
  await writeFileAtomically(path, await qrPng(uri))
}

export const enrollCommand: Command = {
  path: ['2fa', 'enroll'],
  summary: 'Start turning on 2FA: print the otpauth URI and manual key, and write the QR code as a PNG',
  usage: '2fa enroll --email EMAIL [--qr-png FILE]',
  options: {
    ...emailOption,
    'qr-png': {
      type: 'string',
      valueName: 'FILE',
      description: 'Also write the QR code to this PNG file (mode 600: it holds the secret)',
    },
  },
  stdin: PASSWORD_STDIN,
  env: [PASSPHRASE_ENV],
  examples: [
    example('ada@example.com', 'enroll --email EMAIL --qr-png qr.png'),
    'then: tessera 2fa confirm --email ada@example.com --code 123456 (password on stdin again)',
  ],
  async run(ctx, values) {
    const email = emailOf(values)
    const qrOption = stringOption(values, 'qr-png')
    const qrPng = qrOption === undefined ? null : resolve(qrOption)
    return ctx.withServices(async (services) => {
      const { password } = await readCredentials(undefined, example(email, 'enroll --email EMAIL'))
      const user = await services.auth.reauthenticate(email, password, ctx.client)
      const start = await services.twoFactor.startEnrollment(user, ctx.client)
      if (qrPng) {
        try {
          await writeQrFile(qrPng, start.otpauthUri)
        } catch (e) {
          // Nothing half-done stays behind: without the QR the person starts again.
          await services.twoFactor.abandonEnrollment(user.id, ctx.client)
          throw e
        }
      }
      const expiresAt = iso(start.expiresAt)
      return {
        data: {
          otpauthUri: start.otpauthUri,
          manualKey: start.manualKey,
          secret: start.secret,
          expiresAt,
          qrPng,
        },
        text: [
          `Scan the QR code, or add the key by hand, in an authenticator app (SHA1, 6 digits, 30 s).`,
          `URI         ${start.otpauthUri}`,
          `Manual key  ${start.manualKey}`,
          ...(qrPng ? [`QR code     ${qrPng}`] : []),
          '',
          `Two-factor authentication is not on yet. Before ${expiresAt}, confirm with the app's current code`,
          `(it changes every 30 s): tessera 2fa confirm --email ${email} --code CODE, with the password on stdin.`,
        ],
      }
    })
  },
}

export const confirmCommand: Command = {
  path: ['2fa', 'confirm'],
  summary: "Finish turning on 2FA with the app's first code; prints the 5 backup codes, once",
  usage: '2fa confirm --email EMAIL --code CODE',
  options: { ...emailOption, code: { ...codeOption.code!, required: true } },
  stdin: PASSWORD_AND_CODE_STDIN,
  env: [PASSPHRASE_ENV],
  examples: [example('ada@example.com', 'confirm --email EMAIL --code 123456')],
  async run(ctx, values) {
    const email = emailOf(values)
    const flag = factorFromFlags(values)
    return ctx.withServices(async (services) => {
      const { password, factor } = await readCredentials(
        flag,
        credentialsExample(`2fa confirm --email ${email}`, flag),
      )
      const user = await services.auth.reauthenticate(email, password, ctx.client)
      const code = factor && 'code' in factor ? factor.code : ''
      const { backupCodes } = await services.twoFactor.confirmEnrollment(user.id, code, ctx.client)
      return {
        data: { enrolled: true, backupCodes },
        text: backupCodeLines(
          `Two-factor authentication is on for ${email}. Your backup codes:`,
          backupCodes,
        ),
      }
    })
  },
}

async function statusOf(services: Services, user: { id: number; email: string }) {
  const s: TwoFactorStatus = await services.twoFactor.status(user.id)
  return {
    email: user.email,
    enrolled: s.enrolled,
    enrolledAt: iso(s.enrolledAt),
    required: await services.auth.isTwoFactorRequired(user.id),
    backupCodesRemaining: s.backupCodesRemaining,
    backupCodesTotal: s.backupCodesTotal,
    slots: s.slots.map((slot) => ({
      slot: slot.slot,
      used: slot.usedAt !== null,
      usedAt: iso(slot.usedAt),
      usedMachine: slot.usedMachine,
    })),
  }
}

function statusLines(status: Awaited<ReturnType<typeof statusOf>>): string[] {
  return [
    `User          ${status.email}`,
    `Enrolled      ${status.enrolled ? `yes, at ${status.enrolledAt}` : 'no'}`,
    `Required      ${status.required ? 'yes' : 'no'}`,
    `Backup codes  ${status.backupCodesRemaining}/${status.backupCodesTotal} remaining`,
    ...status.slots.map(
      (s) =>
        `  slot ${s.slot}  ${s.used ? `used at ${s.usedAt} on ${s.usedMachine ?? 'an unknown machine'}` : 'unused'}`,
    ),
  ]
}

export const twoFactorStatusCommand: Command = {
  path: ['2fa', 'status'],
  summary: "Show a user's 2FA: enrolled and when, backup codes left, and when and where each was used",
  usage: '2fa status --email EMAIL',
  options: { ...emailOption },
  env: [PASSPHRASE_ENV],
  examples: [
    'tessera 2fa status --email ada@example.com',
    'tessera 2fa status --email ada@example.com --json',
  ],
  async run(ctx, values) {
    const email = emailOf(values)
    const status = await ctx.withServices(async (services) =>
      statusOf(services, await services.users.byEmail(email)),
    )
    return { data: status, text: statusLines(status) }
  },
}

/** Password, then the second factor, as the console asks before regenerating codes or turning 2FA off. */
async function reauthenticateWithSecondFactor(
  ctx: CliContext,
  services: Services,
  email: string,
  flag: FactorFlag,
  purpose: 'regenerate_backup_codes' | 'disable',
): Promise<SessionUser> {
  const command = purpose === 'disable' ? 'disable' : 'regenerate-codes'
  const { password, factor } = await readCredentials(
    flag,
    credentialsExample(`2fa ${command} --email ${email}`, flag),
  )
  const user = await services.auth.reauthenticate(email, password, ctx.client)
  if (!(await services.twoFactor.isEnrolled(user.id))) {
    throw new AppError('ENROLLMENT_REQUIRED', 'Two-factor authentication is not on for this account.')
  }
  await services.twoFactor.verify(user.id, factor!, ctx.client, purpose)
  return user
}

export const regenerateCodesCommand: Command = {
  path: ['2fa', 'regenerate-codes'],
  summary: 'Replace the backup codes with 5 new ones (password and app code); the old ones stop working',
  usage: '2fa regenerate-codes --email EMAIL --code CODE',
  options: { ...emailOption, code: { ...codeOption.code!, required: true } },
  stdin: PASSWORD_AND_CODE_STDIN,
  env: [PASSPHRASE_ENV],
  examples: [example('ada@example.com', 'regenerate-codes --email EMAIL --code 123456')],
  async run(ctx, values) {
    // Both validated before the database opens or stdin is read.
    const email = emailOf(values)
    const flag = factorFromFlags(values)
    return ctx.withServices(async (services) => {
      const user = await reauthenticateWithSecondFactor(ctx, services, email, flag, 'regenerate_backup_codes')
      const { backupCodes } = await services.twoFactor.regenerateBackupCodes(user.id, ctx.client)
      return {
        data: { backupCodes },
        text: backupCodeLines(
          `New backup codes for ${user.email}; the previous ones no longer work:`,
          backupCodes,
        ),
      }
    })
  },
}

export const disableCommand: Command = {
  path: ['2fa', 'disable'],
  summary: 'Turn 2FA off (password and an app code or a backup code): removes the app key and backup codes',
  usage: '2fa disable --email EMAIL (--code CODE|- | --backup-code -)',
  options: { ...emailOption, ...secondFactorOptions },
  stdin:
    "the user's password, first line; with --code - or --backup-code -, the app code or the backup code on the second line",
  env: [PASSPHRASE_ENV],
  examples: [
    example('ada@example.com', 'disable --email EMAIL --code 123456'),
    `printf '%s\\n%s\\n' "$PASSWORD" "$BACKUP_CODE" | tessera 2fa disable --email ada@example.com --backup-code -`,
  ],
  async run(ctx, values) {
    const email = emailOf(values)
    const flag = factorFromFlags(values)
    if (!flag) throw usageError('MISSING_OPTION', '--code or --backup-code is required.')
    return ctx.withServices(async (services) => {
      const user = await reauthenticateWithSecondFactor(ctx, services, email, flag, 'disable')
      await services.twoFactor.remove(user.id, user.id, ctx.client)
      const status = await statusOf(services, await services.users.byEmail(user.email))
      return {
        data: status,
        text: [
          `Two-factor authentication is off for ${user.email}; its app key and backup codes are deleted.`,
          ...(status.required
            ? ['This account must have it: the next login asks to enroll again (tessera 2fa enroll).']
            : []),
        ],
      }
    })
  },
}
