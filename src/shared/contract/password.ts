import { z } from 'zod'
import { emailSchema, newPasswordSchema, passwordSchema } from './common'
import { userIdInputSchema } from './users'
import { everyone, managers, method, type AreaMethods } from './method'
import {
  accessCodeSchema,
  recoveryRequestInputSchema,
  secondFactorSchema,
  type AccessCodeLoginDto,
} from './auth'

// Changing a password, "Forgot password?", and an admin's reset.

interface Twice {
  newPassword: string
  confirmPassword: string
}

/** The new password typed twice: the two must match. */
const twice = <T extends z.ZodRawShape>(shape: T) =>
  z
    .object({ ...shape, newPassword: newPasswordSchema, confirmPassword: z.string().max(1024) })
    .strict()
    .refine((v) => (v as Twice).newPassword === (v as Twice).confirmPassword, {
      path: ['confirmPassword'],
      message: 'The two new passwords are not the same',
    })

/**
 * My profile → Change password: the current password, and the second factor when the account has one
 * (the app code or a backup code), then the new password twice.
 */
export const passwordChangeInputSchema = twice({
  currentPassword: passwordSchema,
  secondFactor: secondFactorSchema.optional(),
})
export type PasswordChangeInput = z.infer<typeof passwordChangeInputSchema>

export interface PasswordChangedDto {
  /** Other sessions of this person that ended (on this console; other consoles and the CLI follow). */
  otherSessionsEnded: boolean
}

/** "Forgot password?": only the email. The answer is the same whether or not it has an account. */
export const passwordForgotInputSchema = z.object({ email: emailSchema }).strict()

export interface PasswordForgotDto {
  /** Said to everyone, whatever the address. */
  message: string
  /** False when this Tessera sends no email (the local outbox): ask an administrator instead. */
  emailDelivered: boolean
}

/** A password reset code: 26 base32 characters (130 bits), grouped in fives. */
export const resetCodeSchema = z
  .string()
  .trim()
  .min(26, 'Enter the reset code from the email')
  .max(40, 'Enter the reset code from the email')
  .regex(/^[A-Za-z0-9 -]+$/, 'Enter the reset code from the email')

/** The code from the email (or from the admin), and the new password twice. */
export const passwordResetWithCodeInputSchema = twice({ email: emailSchema, code: resetCodeSchema })
export type PasswordResetWithCodeInput = z.infer<typeof passwordResetWithCodeInputSchema>

export interface PasswordResetDoneDto {
  email: string
  /** What signing in asks for now: the second factor stays as it was. */
  secondFactorRequired: boolean
}

export const passwordAdminResetInputSchema = userIdInputSchema.strict()

/**
 * An admin's reset: the code went by email; or, where no email leaves this Tessera, it is shown once to
 * the admin; or (an admin's or owner's account) a recovery request waits for two approvers.
 */
export type PasswordAdminResetDto =
  | { outcome: 'emailed'; to: string; expiresAt: number }
  | { outcome: 'shown'; code: string; expiresAt: number }
  | { outcome: 'pending'; requestId: number }

/**
 * Lost both the password and the second factor: a request to support from the sign-in screen, with the
 * email only. The answer is the same whether or not the address has an account.
 */
export const passwordAskSupportInputSchema = z
  .object({ email: emailSchema })
  .extend(recoveryRequestInputSchema.shape)
  .strict()

export interface PasswordAskSupportDto {
  message: string
}

/**
 * The temporary access code support issued for such a request, with the email and a new password
 * twice: the password changes, and the session may only enroll a new authenticator.
 */
export const passwordResetWithAccessCodeInputSchema = twice({ email: emailSchema, code: accessCodeSchema })
export type PasswordResetWithAccessCodeInput = z.infer<typeof passwordResetWithAccessCodeInputSchema>

export const passwordMethods = {
  'password.change': method<PasswordChangedDto>()(passwordChangeInputSchema, everyone),
  'password.forgot': method<PasswordForgotDto>()(passwordForgotInputSchema, 'anyone'),
  'password.resetWithCode': method<PasswordResetDoneDto>()(passwordResetWithCodeInputSchema, 'anyone'),
  'password.adminReset': method<PasswordAdminResetDto>()(passwordAdminResetInputSchema, managers),
  'password.askSupport': method<PasswordAskSupportDto>()(passwordAskSupportInputSchema, 'anyone'),
  'password.resetWithAccessCode': method<AccessCodeLoginDto>()(
    passwordResetWithAccessCodeInputSchema,
    'anyone',
  ),
} satisfies AreaMethods<'password'>
