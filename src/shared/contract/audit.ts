import { z } from 'zod'
import { emptyInputSchema } from './common'
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
  | { ok: true; count: number; headHash: string }
  | { ok: false; count: number; firstBadSeq: number; reason: string }

export const auditMethods = {
  'audit.list': method<AuditPage>()(auditListInputSchema, 'settings.read'),
  'audit.verify': method<AuditVerification>()(emptyInputSchema, 'settings.read'),
} satisfies AreaMethods<'audit'>
