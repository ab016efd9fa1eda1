import { z } from 'zod'
import type { AuditEventDto } from './audit'
import { emailSchema, emptyInputSchema, personNameSchema, roleSchema, type Role } from './common'
import { managers, method, readers, type AreaMethods } from './method'
import type { RecoveryStatus } from './recovery'
import type { TwoFactorState, TwoFactorStatusDto } from './two-factor'

export const INVITATION_DAYS = 7

export const createUserInputSchema = z.object({
  email: emailSchema,
  name: personNameSchema,
  role: roleSchema,
  /** Defaults to the policy's "require 2FA for new users". */
  requireTwoFactor: z.boolean().optional(),
})
export type CreateUserInput = z.infer<typeof createUserInputSchema>

export const userIdInputSchema = z.object({ userId: z.number().int().positive() })
export const setRequireTwoFactorInputSchema = userIdInputSchema.extend({ required: z.boolean() })
export const setDisabledInputSchema = userIdInputSchema.extend({ disabled: z.boolean() })
export const changeRoleInputSchema = userIdInputSchema.extend({ role: roleSchema })

export const userFilters = [
  'enrolled',
  'required',
  'off',
  'at-risk',
  'locked',
  'disabled',
  'invited',
] as const
export const userSorts = ['name', 'email', 'last-login'] as const
export const listUsersInputSchema = z.object({
  search: z.string().trim().max(254).optional(),
  filter: z.enum(userFilters).optional(),
  role: roleSchema.optional(),
  sort: z.enum(userSorts).default('name'),
  /** The opaque cursor of the previous page's nextCursor. */
  after: z.string().max(600).optional(),
  limit: z.number().int().min(1).max(500).default(50),
})

/** A CSV of users to import (email,name,role,require_2fa): 20 MB holds far more than 100,000 rows. */
export const IMPORT_MAX_CSV_CHARS = 20_000_000
export const IMPORT_MAX_ROWS = 100_000
export const IMPORT_DEFAULT_BATCH = 500
export const importBeginInputSchema = z.object({
  csv: z.string().min(1, 'The file is empty').max(IMPORT_MAX_CSV_CHARS, 'The file is larger than 20 MB'),
})
const importIdSchema = z.string().min(1).max(100)
export const importNextInputSchema = z.object({
  importId: importIdSchema,
  batchSize: z.number().int().min(1).max(5000).default(IMPORT_DEFAULT_BATCH),
})
export const importIdInputSchema = z.object({ importId: importIdSchema })
/** The codes up to `through` (the last person in what `users.importCodes` returned) are saved. */
export const importCodesSavedInputSchema = z.object({
  importId: importIdSchema,
  through: z.number().int().min(0),
})

/** require_2fa in an import: yes/no in the usual spellings; empty means the policy's default. */
export const requireTwoFactorCellSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(
    z.enum(['true', 'false', 'yes', 'no', '1', '0', ''], {
      message: 'Use true/false, yes/no, 1/0, or leave it empty for the policy default',
    }),
  )
  .transform((v) => (v === '' ? undefined : ['true', 'yes', '1'].includes(v)))

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
  /** Why this account is at risk, worst first; empty when it is not. */
  riskReasons: RiskReason[]
}

/**
 * The reasons an account is at risk, worst first: an owner or admin without 2FA; 2FA required but not
 * set up after the grace period; 0–1 backup codes left; no verified emergency phone; locked.
 */
export const riskReasons = [
  'privileged-without-2fa',
  'required-overdue',
  'few-backup-codes',
  'no-verified-phone',
  'locked',
] as const
export type RiskReason = (typeof riskReasons)[number]

export interface UserPageDto {
  users: UserSummaryDto[]
  /** Pass as `after` for the next page; null on the last page. */
  nextCursor: string | null
}

export interface InvitationDto {
  userId: number
  email: string
  /** Shown once (only its SHA-256 is stored); null when it went to the person by email instead. */
  code: string | null
  expiresAt: number
  /** Where the code went by email (Settings → Email set up), or null when it is shown here. */
  emailedTo: string | null
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
  /** Rows to import now (the rows already imported are not counted). */
  total: number
  errors: ImportErrorDto[]
  /** More errors than the ones listed. */
  moreErrors: number
  /** Rows whose person exists with the same name, role and require_2fa (an earlier run): skipped. */
  alreadyImported: number
  /** Codes of those people that an interrupted run never delivered: this import delivers them. */
  pendingCodes: number
}

export interface ImportProgressDto {
  done: boolean
  imported: number
  total: number
  alreadyImported: number
  /** Rows skipped because someone created the same email during the import. */
  skipped: ImportErrorDto[]
}

/**
 * An import's invitation codes not delivered yet, as CSV (email,name,role,invitation_code,expires_at).
 * They stay in the database until `users.importCodesSaved` says they are saved, and are then erased.
 */
export interface ImportCodesDto {
  csv: string
  count: number
  /** The last person in this CSV: pass it to `users.importCodesSaved`. */
  through: number
}

/** An import that stopped before its end, or whose codes were not delivered yet. */
export interface ImportRunDto {
  importId: string
  startedAt: number
  /** Rows in its file, and how many of them are in. */
  total: number
  imported: number
  finished: boolean
  pendingCodes: number
  /** 'resend': a bulk "Re-send invitations" (total: the users picked; imported: those dealt with). */
  kind: 'import' | 'resend'
}

/** What one action does to many users at once (the Users page's selection, or everyone matching). */
export const bulkActions = [
  'require-2fa',
  'stop-requiring-2fa',
  'resend-invitation',
  'reset-2fa',
  'disable',
  'export',
] as const
export type BulkAction = (typeof bulkActions)[number]
export const BULK_MAX_IDS = 100_000
/**
 * Whom a bulk action is about: the users picked by id, or everyone the Users list shows for a search,
 * filter and role (no search, filter nor role: everyone).
 */
export const bulkTargetSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('ids'),
    ids: z.array(z.number().int().positive()).min(1).max(BULK_MAX_IDS),
  }),
  z.object({
    kind: z.literal('matching'),
    search: z.string().trim().max(254).optional(),
    filter: z.enum(userFilters).optional(),
    role: roleSchema.optional(),
  }),
])
export type BulkTarget = z.infer<typeof bulkTargetSchema>
export const bulkPreviewInputSchema = z.object({ target: bulkTargetSchema, action: z.enum(bulkActions) })
export const bulkStartInputSchema = bulkPreviewInputSchema
export const bulkJobInputSchema = z.object({ jobId: z.string().min(1).max(100) })

/** How many users a reason applies to (skipped or failed). */
export interface BulkReasonCountDto {
  reason: string
  count: number
}

/** Before a bulk action: how many users it is about, and how many of them it would leave alone and why. */
export interface BulkPreviewDto {
  total: number
  willAct: number
  skipped: BulkReasonCountDto[]
}

export interface BulkProgressDto {
  jobId: string
  action: BulkAction
  total: number
  /** Users dealt with so far (done, skipped or failed). */
  processed: number
  done: number
  skipped: BulkReasonCountDto[]
  failed: BulkReasonCountDto[]
  finished: boolean
  /** Export: the selected users as CSV, once the job is finished. */
  csv: string | null
  /**
   * Re-sent invitations whose codes could not go by email (no email set up): email, name, role, code,
   * expiry as CSV. Given once, in the first answer after the job finished. The database keeps them until
   * `users.importCodesSaved` (importId: the job's id, through: `invitationsThrough`) says they are saved;
   * until then `users.importUnfinished` offers them again, as a run of kind 'resend'.
   */
  invitationsCsv: string | null
  invitationsThrough: number | null
}

export const usersMethods = {
  'users.list': method<UserPageDto>()(listUsersInputSchema, readers),
  'users.get': method<UserDetailDto>()(userIdInputSchema, readers),
  'users.create': method<InvitationDto>()(createUserInputSchema, managers),
  'users.resendInvitation': method<InvitationDto>()(userIdInputSchema, managers),
  'users.setRequireTwoFactor': method<UserDetailDto>()(setRequireTwoFactorInputSchema, managers),
  /** For an admin or owner with 2FA on: files a recovery request that two approvers must approve. */
  'users.resetTwoFactor': method<ResetTwoFactorDto>()(userIdInputSchema, managers),
  'users.unlock': method<UserDetailDto>()(userIdInputSchema, managers),
  'users.setDisabled': method<UserDetailDto>()(setDisabledInputSchema, managers),
  'users.changeRole': method<UserDetailDto>()(changeRoleInputSchema, managers),
  'users.delete': method<{ deleted: true }>()(userIdInputSchema, managers),
  'users.importBegin': method<ImportBeginDto>()(importBeginInputSchema, managers),
  'users.importNext': method<ImportProgressDto>()(importNextInputSchema, managers),
  /** The caller's imports that stopped (the console was closed or killed) or kept undelivered codes. */
  'users.importUnfinished': method<{ imports: ImportRunDto[] }>()(emptyInputSchema, managers),
  'users.importCodes': method<ImportCodesDto>()(importIdInputSchema, managers),
  'users.importCodesSaved': method<{ erased: number }>()(importCodesSavedInputSchema, managers),
  /** Closes an unfinished import and erases its undelivered codes (their people need a new invitation). */
  'users.importForget': method<{ erased: number }>()(importIdInputSchema, managers),
  /** How many users a bulk action is about, and whom it would skip (the rules of who may act on whom). */
  'users.bulkPreview': method<BulkPreviewDto>()(bulkPreviewInputSchema, managers),
  /** Starts a bulk action in main; it runs in batches, and `users.bulkProgress` tells how far it is. */
  'users.bulkStart': method<BulkProgressDto>()(bulkStartInputSchema, managers),
  'users.bulkProgress': method<BulkProgressDto>()(bulkJobInputSchema, managers),
  /** Every user as CSV, without secrets. */
  'users.export': method<{ csv: string }>()(emptyInputSchema, managers),
} satisfies AreaMethods<'users'>
