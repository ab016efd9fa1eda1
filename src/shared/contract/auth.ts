import { z } from 'zod'
import { emailSchema, emptyInputSchema, newPasswordSchema, passwordSchema, type SessionUser } from './common'
import { everyone, method, type AreaMethods } from './method'
import { phoneVerifyInputSchema, type SmsCodeSentDto } from './phone'
import type { RecoveryStatus } from './recovery'
import type { SessionState } from './session'
import { backupCodeSchema, totpCodeSchema } from './two-factor'

// Signing in and out, the second step, and the ways back in after losing the authenticator.

export const loginInputSchema = z.object({ email: emailSchema, password: passwordSchema })
export type LoginInput = z.infer<typeof loginInputSchema>

export const unlockInputSchema = z.object({ password: passwordSchema })

export const lockReasonSchema = z.enum(['manual', 'idle'])
export const lockInputSchema = z.object({ reason: lockReasonSchema })

/** The second login step: the app code, or a backup code instead. */
export const secondFactorSchema = z.union([
  z.object({ code: totpCodeSchema }).strict(),
  z.object({ backupCode: backupCodeSchema }).strict(),
])
export type SecondFactorInput = z.infer<typeof secondFactorSchema>

export interface SecondFactorResultDto {
  user: SessionUser
  method: 'totp' | 'backup_code'
  /** After a backup code: how many are left (warn at 1 and 0). Null after an app code. */
  backupCodesRemaining: number | null
}

/** An invitation code: 128 bits as 26 base32 characters, grouped for reading aloud. */
export const invitationCodeSchema = z
  .string()
  .trim()
  .min(26, 'Enter the invitation code you were given')
  .max(40, 'Enter the invitation code you were given')

export const activateInputSchema = z.object({
  email: emailSchema,
  code: invitationCodeSchema,
  password: newPasswordSchema,
})

/** "I lost my device" succeeded: the old authenticator is revoked and a new one must be enrolled now. */
export interface SmsRecoveryDto {
  user: SessionUser
  next: 'enroll'
}

/** "Ask support for help", after the password: what happened and how support can reach the person. */
export const recoveryRequestInputSchema = z
  .object({
    message: z
      .string()
      .trim()
      .min(10, 'Tell support in a few words what happened (at least 10 characters)')
      .max(2000, 'At most 2,000 characters'),
    contact: z
      .string()
      .trim()
      .min(3, 'Say how support can reach you (a phone number, a desk, a colleague)')
      .max(200, 'At most 200 characters'),
  })
  .strict()
export type RecoveryRequestInput = z.infer<typeof recoveryRequestInputSchema>

/** Filing a request: what the person is told. */
export interface RecoveryFiledDto {
  requestId: number
  status: RecoveryStatus
  expiresAt: number
  /** The verified emergency phone told of the request (masked), or null when there is none. */
  notifiedPhone: string | null
}

/** A temporary access code from support: 26 base32 characters (130 bits), grouped in fives. */
export const accessCodeSchema = z
  .string()
  .trim()
  .min(26, 'Enter the temporary access code support gave you')
  .max(40, 'Enter the temporary access code support gave you')
  .regex(/^[A-Za-z0-9 -]+$/, 'Enter the temporary access code support gave you')
export const accessCodeInputSchema = z.object({ code: accessCodeSchema }).strict()

/** A login with a temporary access code: the session may only enroll a new authenticator. */
export interface AccessCodeLoginDto {
  user: SessionUser
  next: 'enroll'
}

export const authMethods = {
  'auth.login': method<SessionUser>()(loginInputSchema, 'anyone'),
  'auth.unlock': method<SessionUser>()(unlockInputSchema, 'anyone'),
  'auth.lock': method<SessionState>()(lockInputSchema, everyone),
  'auth.logout': method<SessionState>()(emptyInputSchema, 'anyone'),
  'auth.verifySecondFactor': method<SecondFactorResultDto>()(secondFactorSchema, 'anyone'),
  /** "I lost my device", after the password: a login code to the verified emergency phone. */
  'auth.sendSmsCode': method<SmsCodeSentDto>()(emptyInputSchema, 'anyone'),
  /** The SMS login code: the old authenticator is revoked and the session may only enroll a new one. */
  'auth.verifySmsCode': method<SmsRecoveryDto>()(phoneVerifyInputSchema, 'anyone'),
  /** "Ask support for help", after the password: files a recovery request for the support queue. */
  'auth.requestRecovery': method<RecoveryFiledDto>()(recoveryRequestInputSchema, 'anyone'),
  /** A temporary access code from support: like the SMS code, the session may only enroll a new device. */
  'auth.verifyAccessCode': method<AccessCodeLoginDto>()(accessCodeInputSchema, 'anyone'),
  'auth.activate': method<SessionUser>()(activateInputSchema, 'anyone'),
} satisfies AreaMethods<'auth'>
