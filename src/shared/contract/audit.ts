import { z } from 'zod'
import { method, type AreaMethods } from './method'

export const auditListInputSchema = z.object({
  /** Return events with a sequence number below this one (keyset pagination, newest first). */
  before: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(500).default(100),
})

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
  // Vouching for the whole trail is the owner's (or the key holder's, in the CLI).
  'audit.anchor': method<AuditAnchorResult>()(auditAnchorInputSchema, 'settings.protective'),
} satisfies AreaMethods<'audit'>
