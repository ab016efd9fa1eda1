import type { Store } from '../store'

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

const COLUMNS = ['seq', 'at', 'type', 'actor_id', 'subject_id', 'data', 'prev_hash', 'hash'] as const

export function auditHead(db: Store): Promise<{ seq: number; hash: string } | undefined> {
  return db.q
    .selectFrom('audit_events')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst()
}

export async function insertAuditEvent(db: Store, row: AuditRow): Promise<void> {
  await db.q
    .insertInto('audit_events')
    .values({
      seq: row.seq,
      at: row.at,
      type: row.type,
      actor_id: row.actor_id,
      subject_id: row.subject_id,
      data: row.data,
      prev_hash: row.prev_hash,
      hash: row.hash,
    })
    .execute()
}

export async function countAuditEvents(db: Store): Promise<number> {
  const row = await db.q
    .selectFrom('audit_events')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/**
 * Every event in chain order, read `batch` at a time (keyset on seq), so a long log never sits in
 * memory at once.
 */
export async function* auditEventsInOrder(db: Store, batch = 5000): AsyncGenerator<AuditRow> {
  let last = 0
  for (;;) {
    const page = await db.q
      .selectFrom('audit_events')
      .select(COLUMNS)
      .where('seq', '>', last)
      .orderBy('seq')
      .limit(batch)
      .execute()
    yield* page
    if (page.length < batch) return
    last = page.at(-1)!.seq
  }
}

/** Newest first, keyset-paginated on seq. */
export function listAuditEvents(db: Store, before: number | undefined, limit: number): Promise<AuditRow[]> {
  return db.q
    .selectFrom('audit_events')
    .select(COLUMNS)
    .where('seq', '<', before ?? Number.MAX_SAFE_INTEGER)
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute()
}
