import { z } from 'zod'
import { method, type AreaMethods } from './method'

/**
 * Kinds of event the Audit log filters by: each is a set of event types, named by exact type or by a
 * prefix ending in "." (every type under it). A type may belong to more than one kind.
 */
export const AUDIT_EVENT_KINDS = {
  'sign-in': ['login.', 'logout', 'session.', 'reauth.', 'account.locked'],
  'two-factor': ['2fa.', 'user.2fa_'],
  password: ['password.'],
  phone: ['phone.'],
  users: ['user.', 'users.', 'setup.'],
  recovery: ['recovery.'],
  messages: ['sms.', 'email.'],
  settings: ['policy.', 'sms.config_updated', 'email.config_updated', 'audit.'],
} as const satisfies Record<string, readonly string[]>
export type AuditEventKind = keyof typeof AUDIT_EVENT_KINDS
export const auditEventKinds = Object.keys(AUDIT_EVENT_KINDS) as [AuditEventKind, ...AuditEventKind[]]

const epochMs = z.number().int().nonnegative()

/** What the Audit log shows: everyone's events, or one person's, of some kinds, in a time range. */
export const auditFilterSchema = z
  .object({
    /** Events by or about this person (actor or subject). */
    personId: z.number().int().positive().optional(),
    /** Events of any of these kinds; none given: every kind. */
    kinds: z.array(z.enum(auditEventKinds)).max(auditEventKinds.length).optional(),
    /** From this time on (inclusive, epoch ms). */
    from: epochMs.optional(),
    /** Before this time (exclusive, epoch ms). */
    to: epochMs.optional(),
  })
  .strict()
  .refine((f) => f.from === undefined || f.to === undefined || f.from < f.to, {
    message: 'The start of the range must come before its end.',
    path: ['to'],
  })
export type AuditFilter = z.infer<typeof auditFilterSchema>

export const auditListInputSchema = z
  .object({
    /** Return events with a sequence number below this one (keyset pagination, newest first). */
    before: z.number().int().positive().optional(),
    limit: z.number().int().min(1).max(500).default(100),
    filter: auditFilterSchema.optional(),
  })
  .strict()

export const auditExportInputSchema = z
  .object({
    format: z.enum(['csv', 'jsonl']),
    filter: auditFilterSchema.optional(),
  })
  .strict()
export type AuditExportInput = z.infer<typeof auditExportInputSchema>

export interface AuditExportDto {
  format: 'csv' | 'jsonl'
  /** The events as `tessera audit export` writes them (oldest first, with their hashes). */
  text: string
  events: number
}

export interface AuditEventDto {
  seq: number
  at: number
  type: string
  actorId: number | null
  subjectId: number | null
  data: Record<string, unknown>
  hash: string
  /**
   * How to name each person the event mentions, by id: its actor, its subject and people named inside
   * its data (a recovery's approvers, a reset code's issuer). A deleted account reads as the email the
   * event recorded for it, or "a deleted user #N".
   */
  people: Record<number, string>
}

export interface AuditPage {
  events: AuditEventDto[]
  nextBefore: number | null
}

export type AuditVerification =
  | {
      ok: true
      count: number
      headHash: string
      /** A routine check: events before this one were verified earlier (the checkpoint still holds). */
      checkedFrom?: number
    }
  | { ok: false; count: number; firstBadSeq: number; reason: string }

export const auditVerifyInputSchema = z
  .object({
    /** Recompute every event from the first, instead of only those after the last verified checkpoint. */
    full: z.boolean().default(false),
  })
  .strict()

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 hash: 64 lowercase hex digits')

export const AUDIT_ANCHOR_FORMAT = 'tessera-audit-anchor/1'
/** Hashes of earlier events kept in an anchor at most (so it stays a few kilobytes). */
export const AUDIT_ANCHOR_MARKS = 256

/**
 * The head of the chain written down outside the database: a later log that does not extend it was
 * rewritten. `marks` are the hashes of the events at every `every`-th sequence number up to `seq`, so a
 * chain re-hashed from an early event is named near where the rewrite began, not only at the head.
 */
export const auditAnchorSchema = z.object({
  format: z.literal(AUDIT_ANCHOR_FORMAT),
  databaseId: z.string().min(1).max(100),
  seq: z.number().int().nonnegative(),
  hash: sha256Hex,
  at: z.iso.datetime(),
  marks: z
    .object({
      every: z.number().int().positive(),
      hashes: z.array(sha256Hex).max(AUDIT_ANCHOR_MARKS),
    })
    .optional(),
})
export type AuditAnchor = z.infer<typeof auditAnchorSchema>

export const auditAnchorInputSchema = z
  .object({
    /** 'file': return the anchor to save; 'owners': send it to every active owner (email and/or SMS). */
    to: z.enum(['file', 'owners']),
  })
  .strict()
export type AuditAnchorInput = z.infer<typeof auditAnchorInputSchema>

export interface AuditAnchorResult {
  anchor: AuditAnchor
  /** The anchor as the file holds it (JSON, one line). */
  text: string
  /** Owners it was sent to ('owners'). */
  sentTo: number
}

export const auditMethods = {
  'audit.list': method<AuditPage>()(auditListInputSchema, 'settings.read'),
  'audit.verify': method<AuditVerification>()(auditVerifyInputSchema, 'settings.read'),
  // Whoever may read the trail may take it away: the same events, as the CLI's export writes them.
  'audit.export': method<AuditExportDto>()(auditExportInputSchema, 'settings.read'),
  // Vouching for the whole trail is the owner's (or the key holder's, in the CLI).
  'audit.anchor': method<AuditAnchorResult>()(auditAnchorInputSchema, 'settings.protective'),
} satisfies AreaMethods<'audit'>
