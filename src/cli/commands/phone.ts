import type { PhoneStatusDto } from '../../shared/dto'
import { emailSchema, smsCodeSchema, totpCodeSchema } from '../../shared/schemas'
import type { OptionValues } from '../args'
import { stringOption, type Command, type CommandGroup } from '../command'
import { codeFromStdinFlag, readCredentials, readPasswordAndCode } from '../credentials'
import { usageError } from '../errors'
import { validated } from '../validate'
import { PASSPHRASE_ENV } from './users'

export const phoneGroup: CommandGroup = {
  name: 'phone',
  summary: 'Set and verify a user\'s emergency phone (for the "I lost my device" SMS login)',
}

const PASSWORD_STDIN = "the user's password, first line (checked again, as the console does)"
const emailOf = (values: OptionValues): string =>
  validated(emailSchema, stringOption(values, 'email'), '--email')
const example = (email: string, rest: string): string =>
  `printf '%s\\n' "$PASSWORD" | tessera phone ${rest.replace('EMAIL', email)}`
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString())

const statusData = (email: string, s: PhoneStatusDto | null) => ({
  email,
  phone: s?.masked ?? null,
  verified: s?.verified ?? false,
  verifiedAt: iso(s?.verifiedAt ?? null),
  pending: s?.pendingMasked ?? null,
})

export const phoneSetCommand: Command = {
  path: ['phone', 'set'],
  summary: 'Enter the emergency phone (twice) and send it a verification code by SMS',
  usage:
    'phone set --email EMAIL --number NUMBER --confirm-number NUMBER --not-authenticator-phone [--code CODE]',
  options: {
    email: { type: 'string', valueName: 'EMAIL', description: "The user's email", required: true },
    number: {
      type: 'string',
      valueName: 'NUMBER',
      description: 'The phone number with its country code (+34 612 345 678)',
      required: true,
    },
    'confirm-number': {
      type: 'string',
      valueName: 'NUMBER',
      description: 'The same number again',
      required: true,
    },
    'not-authenticator-phone': {
      type: 'boolean',
      description: 'Confirms this is not the phone that runs the authenticator app (required)',
    },
    code: {
      type: 'string',
      valueName: 'CODE',
      description: 'The current authenticator app code: needed to change a verified phone',
    },
  },
  stdin: PASSWORD_STDIN,
  env: [PASSPHRASE_ENV],
  examples: [
    example(
      'ada@example.com',
      'set --email EMAIL --number "+34 612 345 678" --confirm-number +34612345678 --not-authenticator-phone',
    ),
    'then: tessera phone verify --email ada@example.com --code - (password, then the SMS code, on stdin)',
  ],
  async run(ctx, values) {
    const email = emailOf(values)
    if (values['not-authenticator-phone'] !== true) {
      throw usageError(
        'MISSING_OPTION',
        'Confirm with --not-authenticator-phone that this is not the phone with the authenticator app: losing that phone would lose both.',
      )
    }
    const code = stringOption(values, 'code')
    const appCode = code === undefined ? undefined : validated(totpCodeSchema, code, '--code')
    return ctx.withServices(async (services) => {
      const e164 = await services.phones.bothNumbers({
        number: stringOption(values, 'number')!,
        numberConfirm: stringOption(values, 'confirm-number')!,
        notAuthenticatorPhone: true,
      })
      const { password } = await readCredentials(undefined, example(email, 'set --email EMAIL …'))
      const user = await services.auth.reauthenticate(email, password, ctx.client)
      const sent = await services.phones.begin(user.id, { e164, code: appCode }, ctx.client)
      return {
        data: { sent: true, phone: sent.masked, expiresAt: iso(sent.expiresAt) },
        text: [
          `Sent a verification code by SMS to ${sent.masked}; it works for 10 minutes.`,
          `Then: ${verifyExample(email)}`,
          'SMS is the weakest second factor (a number can be taken over): keep it for emergencies only.',
        ],
      }
    })
  },
}

const verifyExample = (email: string): string =>
  `printf '%s\\n%s\\n' "$PASSWORD" "$SMS_CODE" | tessera phone verify --email ${email} --code -`

export const phoneVerifyCommand: Command = {
  path: ['phone', 'verify'],
  summary: 'Verify the emergency phone with the code it received by SMS',
  usage: 'phone verify --email EMAIL --code -',
  options: {
    email: { type: 'string', valueName: 'EMAIL', description: "The user's email", required: true },
    code: {
      type: 'string',
      valueName: '-',
      description:
        'The 6-digit code sent by SMS, read from the line of stdin after the password (only "-" is accepted)',
      required: true,
    },
  },
  stdin: "the user's password, first line; the code sent by SMS, second line",
  env: [PASSPHRASE_ENV],
  examples: [verifyExample('ada@example.com')],
  async run(ctx, values) {
    const email = emailOf(values)
    codeFromStdinFlag(values, 'code', 'An SMS code', verifyExample(email))
    return ctx.withServices(async (services) => {
      const { password, code } = await readPasswordAndCode(verifyExample(email), {
        label: 'SMS code',
        flag: '--code -',
        missingReason: 'NO_SMS_CODE',
        schema: smsCodeSchema,
      })
      const user = await services.auth.reauthenticate(email, password, ctx.client)
      const status = await services.phones.verify(user.id, code, ctx.client)
      return {
        data: statusData(email, status),
        text: [`Verified: ${status.masked ?? '-'} is the emergency phone of ${email}.`],
      }
    })
  },
}
