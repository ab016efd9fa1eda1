import { z } from 'zod'
import { emptyInputSchema, passwordSchema } from './common'
import { enrolling, everyone, method, type AreaMethods } from './method'

export const totpCodeSchema = z
  .string()
  .trim()
  .regex(/^\d{6}$/, 'Enter the 6-digit code from your authenticator app')

export const backupCodeSchema = z
  .string()
  .trim()
  .min(10, 'Enter a backup code like 7KQ2M-XD94P')
  .max(24, 'Enter a backup code like 7KQ2M-XD94P')
  .regex(/^[A-Za-z0-9 -]+$/, 'Enter a backup code like 7KQ2M-XD94P')

export const startEnrollmentInputSchema = z.object({ password: passwordSchema })
/**
 * Starting enrollment: the password again, or `justSignedIn` — only for a session that may do nothing but
 * enroll and gave its password minutes ago (main decides).
 */
export const startEnrollmentRequestSchema = z.union([
  startEnrollmentInputSchema.strict(),
  z.object({ justSignedIn: z.literal(true) }).strict(),
])
export const confirmEnrollmentInputSchema = z.object({ code: totpCodeSchema })
/** New backup codes, re-authenticated: the password and the current app code. */
export const regenerateBackupCodesInputSchema = z.object({ password: passwordSchema, code: totpCodeSchema })
/**
 * New backup codes as the call may ask for them: re-authenticated, or `justSignedIn` — valid only for a
 * few minutes after this session passed the second step of its sign-in, and only once (main decides).
 */
export const regenerateBackupCodesRequestSchema = z.union([
  regenerateBackupCodesInputSchema.strict(),
  z.object({ justSignedIn: z.literal(true) }).strict(),
])
export type RegenerateBackupCodesRequest = z.infer<typeof regenerateBackupCodesRequestSchema>
export const disableTwoFactorInputSchema = z.union([
  z.object({ password: passwordSchema, code: totpCodeSchema }).strict(),
  z.object({ password: passwordSchema, backupCode: backupCodeSchema }).strict(),
])

export interface EnrollmentStartDto {
  otpauthUri: string
  /** The secret in base32, in groups of four, for typing into the app. */
  manualKey: string
  /** The QR code of otpauthUri as an SVG document. */
  qrSvg: string
  expiresAt: number
}

export interface BackupCodesDto {
  backupCodes: string[]
}

export interface BackupSlotDto {
  slot: number
  usedAt: number | null
  usedMachine: string | null
}

export interface TwoFactorStatusDto {
  enrolled: boolean
  enrolledAt: number | null
  required: boolean
  backupCodesRemaining: number
  backupCodesTotal: number
  slots: BackupSlotDto[]
}

export type TwoFactorState = 'enrolled' | 'required' | 'off'

export const twoFactorMethods = {
  'twoFactor.status': method<TwoFactorStatusDto>()(emptyInputSchema, everyone, enrolling),
  'twoFactor.startEnrollment': method<EnrollmentStartDto>()(
    startEnrollmentRequestSchema,
    everyone,
    enrolling,
  ),
  'twoFactor.confirmEnrollment': method<BackupCodesDto>()(confirmEnrollmentInputSchema, everyone, enrolling),
  'twoFactor.abandonEnrollment': method<TwoFactorStatusDto>()(emptyInputSchema, everyone, enrolling),
  'twoFactor.regenerateBackupCodes': method<BackupCodesDto>()(regenerateBackupCodesRequestSchema, everyone),
  'twoFactor.disable': method<TwoFactorStatusDto>()(disableTwoFactorInputSchema, everyone),
} satisfies AreaMethods<'twoFactor'>
