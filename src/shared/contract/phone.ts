import { z } from 'zod'
import { emptyInputSchema, passwordSchema } from './common'
import { enrolling, everyone, method, type AreaMethods } from './method'
import type { SmsDelivery } from './sms'
import { totpCodeSchema } from './two-factor'

/** A code sent by SMS (login or phone verification): 6 digits. */
export const smsCodeSchema = z
  .string()
  .trim()
  .regex(/^\d{6}$/, 'Enter the 6-digit code sent to your phone')

const phoneNumberSchema = z.string().trim().min(1, 'Enter a phone number').max(40, 'Enter a phone number')

/** The emergency phone: the number twice, the confirmation that it is not the authenticator's phone. */
export const phoneStartInputSchema = z.object({
  number: phoneNumberSchema,
  numberConfirm: phoneNumberSchema,
  notAuthenticatorPhone: z.literal(true, {
    error: 'Confirm that this is not the phone with your authenticator app',
  }),
  password: passwordSchema,
  /** The current app code: required to change a verified phone. */
  code: totpCodeSchema.optional(),
})
export type PhoneStartInput = z.infer<typeof phoneStartInputSchema>
export const phoneVerifyInputSchema = z.object({ code: smsCodeSchema })

/** The emergency phone as shown to its owner: always masked. */
export interface PhoneStatusDto {
  /** The verified number, masked (null when none is verified). */
  masked: string | null
  verified: boolean
  verifiedAt: number | null
  /** A number entered and waiting for its SMS code, masked. */
  pendingMasked: string | null
}

/** An SMS code was sent (phone verification or login): where to (masked) and until when it works. */
export interface SmsCodeSentDto {
  masked: string
  expiresAt: number
  /** Whether the text message left: with the local outbox as provider it never does. */
  delivery: SmsDelivery
}

export const phoneMethods = {
  /** The emergency phone (masked), or null. */
  'phone.status': method<PhoneStatusDto | null>()(emptyInputSchema, everyone, enrolling),
  /** Sends a verification code to a new number (password; an app code to change a verified one). */
  'phone.start': method<SmsCodeSentDto>()(phoneStartInputSchema, everyone, enrolling),
  'phone.verify': method<PhoneStatusDto>()(phoneVerifyInputSchema, everyone, enrolling),
} satisfies AreaMethods<'phone'>
