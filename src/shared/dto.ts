import type { KeyStore, Policy, Role } from './schemas'

export interface SessionUser {
  id: number
  email: string
  name: string
  role: Role
}

/**
 * Where the console stands. The renderer draws exactly one screen per phase.
 * - needs-setup: no database yet; the first-run screen creates it and the owner
 * - needs-db-passphrase: the database key comes from a passphrase the user must type
 * - db-error: the database cannot be opened; the message says why and nothing was changed
 */
export type SessionState =
  | { phase: 'needs-setup'; keychainAvailable: boolean }
  | { phase: 'needs-db-passphrase' }
  | { phase: 'db-error'; code: string; message: string }
  | { phase: 'signed-out' }
  | { phase: 'second-factor'; user: SessionUser }
  | { phase: 'enroll-required'; user: SessionUser }
  | { phase: 'locked'; user: SessionUser; idleLockMinutes: number }
  | { phase: 'signed-in'; user: SessionUser; idleLockMinutes: number }

export interface AuditEventDto {
  seq: number
  at: number
  type: string
  actorId: number | null
  subjectId: number | null
  data: Record<string, unknown>
  hash: string
}

export interface AuditPage {
  events: AuditEventDto[]
  nextBefore: number | null
}

export type AuditVerification =
  | { ok: true; count: number; headHash: string }
  | { ok: false; count: number; firstBadSeq: number; reason: string }

export interface DatabaseStatus {
  path: string
  schemaVersion: number
  keyStore: KeyStore
  cipher: string
  userCount: number
  auditEventCount: number
  auditHeadHash: string
}

export type { Policy }

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

export interface SecondFactorResultDto {
  user: SessionUser
  method: 'totp' | 'backup_code'
  /** After a backup code: how many are left (warn at 1 and 0). Null after an app code. */
  backupCodesRemaining: number | null
}
