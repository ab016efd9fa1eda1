import { prepared, type Db } from '../connection'

export interface AuditRow {
  seq: number
  at: number
  type: string
  actor_id: number | null
  subject_id: number | null
  data: string
  prev_hash: string
  hash: string
}

export function auditHead(db: Db): { seq: number; hash: string } | undefined {
  return prepared(db, 'SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1').get() as
    { seq: number; hash: string } | undefined
}

export function insertAuditEvent(db: Db, row: AuditRow): void {
  prepared(
    db,
    `INSERT INTO audit_events (seq, at, type, actor_id, subject_id, data, prev_hash, hash)
     VALUES (@seq, @at, @type, @actor_id, @subject_id, @data, @prev_hash, @hash)`,
  ).run(row)
}

export function countAuditEvents(db: Db): number {
  return prepared(db, 'SELECT count(*) FROM audit_events').pluck().get() as number
}

/** Every event in chain order, streamed so a long log never sits in memory at once. */
export function iterateAuditEvents(db: Db): IterableIterator<AuditRow> {
  return db
    .prepare(
      'SELECT seq, at, type, actor_id, subject_id, data, prev_hash, hash FROM audit_events ORDER BY seq',
    )
    .iterate() as IterableIterator<AuditRow>
}

/** Newest first, keyset-paginated on seq. */
export function listAuditEvents(db: Db, before: number | undefined, limit: number): AuditRow[] {
  return prepared(
    db,
    `SELECT seq, at, type, actor_id, subject_id, data, prev_hash, hash FROM audit_events
       WHERE seq < @before ORDER BY seq DESC LIMIT @limit`,
  ).all({ before: before ?? Number.MAX_SAFE_INTEGER, limit }) as AuditRow[]
}
