import { z } from 'zod'
import type { AuditEventDto } from './audit'
import type { Role } from './common'
import { method, type AreaMethods } from './method'
import type { SmsDelivery, SmsStatusName } from './sms'

/** Support recovery: what an agent may have checked before approving (at least two are needed). */
export const recoveryChecks = {
  callback_known_number: 'Called the person back on a number from the company directory (not one they gave)',
  photo_id: 'Saw the person on video or in person and matched an official photo ID',
  manager_confirmed: 'Their manager confirmed the request through a separate channel',
  account_details: 'They answered questions about the account that only the account holder can know',
} as const
export type RecoveryCheck = keyof typeof recoveryChecks
export const recoveryCheckKeys = Object.keys(recoveryChecks) as [RecoveryCheck, ...RecoveryCheck[]]
export const RECOVERY_MIN_CHECKS = 2
export const recoveryStatuses = ['open', 'verifying', 'approved', 'denied', 'completed', 'expired'] as const
export type RecoveryStatus = (typeof recoveryStatuses)[number]
/** Requests still waiting for support: the Recovery queue's default view. */
export const liveRecoveryStatuses = [
  'open',
  'verifying',
  'approved',
] as const satisfies readonly RecoveryStatus[]

const recoveryNoteSchema = z.string().trim().min(1, 'Write a note').max(2000, 'At most 2,000 characters')

export const recoveryIdInputSchema = z.object({ requestId: z.number().int().positive() }).strict()
export const recoveryListInputSchema = z
  .object({
    /** 'live' (open, verifying, approved: the default) or one status, or 'all'. */
    status: z.enum(['live', 'all', ...recoveryStatuses]).default('live'),
    /** Requests with an id below this one (keyset pagination, newest first). */
    before: z.number().int().positive().optional(),
    limit: z.number().int().min(1).max(500).default(50),
  })
  .strict()
export const recoveryCheckInputSchema = z
  .object({
    requestId: z.number().int().positive(),
    checks: z.array(z.enum(recoveryCheckKeys)).max(recoveryCheckKeys.length).default([]),
    note: recoveryNoteSchema.optional(),
  })
  .strict()
  .refine((v) => v.checks.length > 0 || v.note !== undefined, {
    message: 'Record at least one identity check or a note',
    path: ['checks'],
  })
export const recoveryApproveInputSchema = z
  .object({ requestId: z.number().int().positive(), note: recoveryNoteSchema.optional() })
  .strict()
export const recoveryDenyInputSchema = z
  .object({
    requestId: z.number().int().positive(),
    reason: z.string().trim().min(3, 'Say why the request is denied').max(500, 'At most 500 characters'),
  })
  .strict()

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
  /** What the request ends with: a new authenticator ('2fa'), a new password, or both. */
  purpose: '2fa' | 'password' | 'both'
}

export interface RecoveryRequestPage {
  requests: RecoveryRequestSummaryDto[]
  nextBefore: number | null
  /** open + verifying + approved, whatever the filter. */
  liveCount: number
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

/** Days of sign-in failures and lockouts the facts cover. */
export const RECOVERY_FACTS_DAYS = 30

/**
 * What an agent needs to decide, read from what Tessera already records: never a code, a secret or a
 * phone number.
 */
export interface RecoveryFactsDto {
  /** The latest complete sign-in, and where from (the console's machine name, desktop or CLI). */
  lastSignIn: { at: number; via: 'desktop' | 'cli' | null; machine: string | null } | null
  /** Failed sign-in steps (password or second factor) in the last RECOVERY_FACTS_DAYS days. */
  failures: { count: number; latestAt: number | null }
  /** Lockouts in the last RECOVERY_FACTS_DAYS days. */
  lockouts: { count: number; latestAt: number | null }
  /** A lock in force now: until when (null: until an administrator unlocks it). */
  lockedNow: { until: number | null } | null
  backupCodes: { left: number; total: number }
  /** When the emergency phone was verified; null: no verified phone. */
  phoneVerifiedAt: number | null
  /** The person's other recovery requests: how many, and the newest few. */
  otherRequests: { count: number; latest: { id: number; status: RecoveryStatus; createdAt: number }[] }
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
  /** Null when the viewing agent may not work this request (their own, or above their rank). */
  facts: RecoveryFactsDto | null
}

/** A temporary access code was issued: sent by SMS, or shown once (to read out) when there is no phone. */
export type AccessCodeIssuedDto =
  | {
      requestId: number
      delivery: 'sms'
      phone: string
      expiresAt: number
      /** The SMS as tried at once: sent, waiting for a retry (queued), or failed with the reason. */
      sms: { status: SmsStatusName; lastError: string | null; delivery: SmsDelivery }
    }
  | { requestId: number; delivery: 'agent'; code: string; expiresAt: number }
  /** A password reset (an admin's or owner's, approved by two): the reset code went by email. */
  | { requestId: number; delivery: 'email'; to: string; expiresAt: number }

export const recoveryMethods = {
  /**
   * The Recovery queue: support agents, admins and owners; nobody works a request about themselves or
   * above their rank (an owner's only by owners).
   */
  'recovery.list': method<RecoveryRequestPage>()(recoveryListInputSchema, 'recovery.work'),
  'recovery.get': method<RecoveryRequestDetailDto>()(recoveryIdInputSchema, 'recovery.work'),
  /** Records identity checks and/or a note; the first one moves an open request to verifying. */
  'recovery.check': method<RecoveryRequestDetailDto>()(recoveryCheckInputSchema, 'recovery.work'),
  /** One approval; admin and owner accounts need a second, independent one of their rank. */
  'recovery.approve': method<RecoveryRequestDetailDto>()(recoveryApproveInputSchema, 'recovery.work'),
  'recovery.deny': method<RecoveryRequestDetailDto>()(recoveryDenyInputSchema, 'recovery.work'),
  /** After the cooling-off period: the code goes by SMS to the verified phone, or is shown here once. */
  'recovery.issueCode': method<AccessCodeIssuedDto>()(recoveryIdInputSchema, 'recovery.work'),
} satisfies AreaMethods<'recovery'>
