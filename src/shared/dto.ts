import type {
  KeyStore,
  Policy,
  RecoveryCheck,
  RecoveryStatus,
  Role,
  SmsProviderName,
  SmsStatusName,
} from './schemas'

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
/** Areas ('users', 'recovery') other consoles changed since a version; `live` false: nothing to hear. */
export interface ChangesDto {
  version: number
  areas: string[]
  live: boolean
}

export type SessionState =
  | { phase: 'needs-setup'; keychainAvailable: boolean }
  | { phase: 'needs-db-passphrase' }
  | { phase: 'db-error'; code: string; message: string }
  | { phase: 'signed-out' }
  | { phase: 'second-factor'; user: SessionUser }
  | { phase: 'enroll-required'; user: SessionUser }
  | { phase: 'locked'; user: SessionUser; idleLockMinutes: number }
  | {
      phase: 'signed-in'
      user: SessionUser
      idleLockMinutes: number
      /** Set while a user required to have 2FA is inside the grace period: remind them until then. */
      twoFactorDueAt?: number
    }

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
  /** The encrypted file on this computer, or a team database on a PostgreSQL server. */
  engine: 'sqlite' | 'postgres'
  /** The file's path, or the server and database name (never a password). */
  path: string
  schemaVersion: number
  keyStore: KeyStore | 'team'
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

export type TwoFactorState = 'enrolled' | 'required' | 'off'

/** One row of the Users page. */
export interface UserSummaryDto {
  id: number
  email: string
  name: string
  role: Role
  status: 'invited' | 'active' | 'disabled'
  twoFactor: TwoFactorState
  enrolledAt: number | null
  backupCodesLeft: number
  lastLoginAt: number | null
  /** Locked until this time, or null with lockedForever when only an admin can unlock. */
  lockedUntil: number | null
  lockedForever: boolean
}

export interface UserPageDto {
  users: UserSummaryDto[]
  /** Pass as `after` for the next page; null on the last page. */
  nextCursor: string | null
}

export interface InvitationDto {
  userId: number
  email: string
  /** Shown once: only its SHA-256 is stored. */
  code: string
  expiresAt: number
}

export interface UserDetailDto {
  user: UserSummaryDto
  requireTwoFactor: boolean
  /** An authenticator was revoked (SMS login, access code, reset): they can only enroll until they do. */
  mustEnroll: boolean
  twoFactor: TwoFactorStatusDto
  invitationExpiresAt: number | null
  /** The verified emergency phone, masked, and when it was verified; null when there is none. */
  phone: { masked: string; verifiedAt: number } | null
  /** Support recovery requests about this user, newest first (at most 10). */
  recoveryRequests: { id: number; status: RecoveryStatus; createdAt: number; updatedAt: number }[]
  recentEvents: AuditEventDto[]
}

/**
 * After "Reset 2FA": done (the user page as it is now), or, for an admin or owner with 2FA on, a
 * recovery request that two approvers must approve (its number).
 */
export interface ResetTwoFactorDto {
  user: UserDetailDto
  pendingRequestId: number | null
}

export interface DashboardDto {
  users: number
  enrolled: number
  required: number
  requiredEnrolled: number
  atRisk: number
  locked: number
  pendingInvitations: number
  /** Recovery requests waiting for support (open, verifying, approved). */
  openRecoveryRequests: number
  /** Backup codes used per week, oldest first, 12 weeks ending with the current one. */
  backupCodesUsedPerWeek: { weekStart: number; count: number }[]
  recentEvents: AuditEventDto[]
}

/** A problem with one line of an imported CSV. */
export interface ImportErrorDto {
  line: number
  /** The column at fault, when it is one column. */
  column?: string
  message: string
}

export interface ImportBeginDto {
  /** Null when the file has errors: nothing will be imported. */
  importId: string | null
  total: number
  errors: ImportErrorDto[]
  /** More errors than the ones listed. */
  moreErrors: number
}

export interface ImportProgressDto {
  done: boolean
  imported: number
  total: number
  /** Rows skipped because someone created the same email during the import. */
  skipped: ImportErrorDto[]
  /**
   * When done: email,name,role,invitation_code,expires_at for every imported user. Returned once and
   * kept nowhere: only the codes' SHA-256 is stored.
   */
  invitationsCsv?: string
}

/** Settings → SMS as shown: never the auth token, only whether one is kept and where. */
export interface SmsConfigDto {
  provider: SmsProviderName
  accountSid: string | null
  from: string | null
  messagingServiceSid: string | null
  apiBaseUrl: string
  authTokenSet: boolean
  /** Where the token lives: the OS keychain, or (for a passphrase-protected database) inside the database. */
  authTokenStore: 'keychain' | 'database'
}

/** One outbox message as listed: the number masked, and the text with any code replaced by ••••••. */
export interface SmsOutboxEntryDto {
  id: number
  to: string
  kind: string
  text: string
  status: SmsStatusName
  attempts: number
  lastError: string | null
  provider: SmsProviderName | null
  providerSid: string | null
  createdAt: number
  sentAt: number | null
  nextAttemptAt: number | null
}

export interface SmsOutboxPage {
  messages: SmsOutboxEntryDto[]
  nextBefore: number | null
}

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
}

/** "I lost my device" succeeded: the old authenticator is revoked and a new one must be enrolled now. */
export interface SmsRecoveryDto {
  user: SessionUser
  next: 'enroll'
}

/** A person in a recovery request, as support sees them. */
export interface RecoveryPersonDto {
  id: number
  email: string
  name: string
  role: Role
}

/** One row of the Recovery queue. */
export interface RecoveryRequestSummaryDto {
  id: number
  user: RecoveryPersonDto
  status: RecoveryStatus
  createdAt: number
  updatedAt: number
  expiresAt: number
  /** Identity checks recorded so far. */
  checkCount: number
  approvals: number
  /** 2 for admin and owner accounts (and accounts demoted from those in the last 7 days), else 1. */
  approvalsRequired: number
  /** Filed by the person after the password, or by an admin resetting an admin's or owner's 2FA. */
  kind: 'lost_device' | 'admin_reset'
}

export interface RecoveryRequestPage {
  requests: RecoveryRequestSummaryDto[]
  nextBefore: number | null
  /** open + verifying + approved, whatever the filter. */
  liveCount: number
}

/** Filing a request: what the person is told. */
export interface RecoveryFiledDto {
  requestId: number
  status: RecoveryStatus
  expiresAt: number
  /** The verified emergency phone told of the request (masked), or null when there is none. */
  notifiedPhone: string | null
}

export interface RecoveryCheckDto {
  check: RecoveryCheck
  label: string
  by: RecoveryPersonDto | null
  at: number
}

export interface RecoveryNoteDto {
  by: RecoveryPersonDto | null
  at: number
  body: string
}

export interface RecoveryApprovalDto {
  by: RecoveryPersonDto | null
  at: number
}

export interface RecoveryCodeDto {
  issuedAt: number
  issuedBy: RecoveryPersonDto | null
  delivery: 'sms' | 'agent'
  expiresAt: number
  usedAt: number | null
  revokedAt: number | null
}

export interface RecoveryRequestDetailDto extends RecoveryRequestSummaryDto {
  message: string
  contact: string
  twoFactor: { enrolled: boolean; backupCodesRemaining: number }
  /** The verified emergency phone, masked, or null. */
  phone: string | null
  checks: RecoveryCheckDto[]
  notes: RecoveryNoteDto[]
  approvalsBy: RecoveryApprovalDto[]
  /** When the approval takes effect (the cooling-off period ends); null until approved. */
  effectiveAt: number | null
  /** The cooling-off an approval would start now: the policy's, never under 15 minutes for admins and owners. */
  coolingOffMinutes: number
  deniedReason: string | null
  decidedBy: RecoveryPersonDto | null
  completedAt: number | null
  codes: RecoveryCodeDto[]
  /** What the viewing agent may do now, with the reason when not. */
  actions: {
    check: boolean
    approve: { allowed: boolean; reason: string | null }
    deny: boolean
    issueCode: { allowed: boolean; reason: string | null }
  }
  events: AuditEventDto[]
}

/** A temporary access code was issued: sent by SMS, or shown once (to read out) when there is no phone. */
export type AccessCodeIssuedDto =
  | {
      requestId: number
      delivery: 'sms'
      phone: string
      expiresAt: number
      /** The SMS as tried at once: sent, waiting for a retry (queued), or failed with the reason. */
      sms: { status: SmsStatusName; lastError: string | null }
    }
  | { requestId: number; delivery: 'agent'; code: string; expiresAt: number }

/** A login with a temporary access code: the session may only enroll a new authenticator. */
export interface AccessCodeLoginDto {
  user: SessionUser
  next: 'enroll'
}
