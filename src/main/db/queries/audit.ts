import { sql, type ExpressionBuilder, type Kysely } from 'kysely'
import { prepared, type Args } from '../compiled'
import type { Schema } from '../schema'
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
const EVENT_COLUMNS = COLUMNS.map((c) => `e.${c}` as const)

/** An event with the names its actor and subject have now; null when no such account is left. */
export interface NamedAuditRow extends AuditRow {
  actor_name: string | null
  subject_name: string | null
}

/**
 * Events joined to the accounts of their actor and subject, in the same query (a page of events never
 * costs a lookup per event). Callers add their conditions, order and limit.
 */
export function namedEvents(q: Kysely<Schema>) {
  return q
    .selectFrom('audit_events as e')
    .leftJoin('users as a', 'a.id', 'e.actor_id')
    .leftJoin('users as s', 's.id', 'e.subject_id')
    .select(EVENT_COLUMNS)
    .select(['a.name as actor_name', 's.name as subject_name'])
}

/** What the Audit log filters by (see auditFilterSchema): types are exact, or a prefix ending in ".". */
export interface AuditRowFilter {
  personId?: number | undefined
  types?: readonly string[] | undefined
  from?: number | undefined
  to?: number | undefined
}

type EventScope = ExpressionBuilder<Schema & { e: Schema['audit_events'] }, 'e'>

function matching(eb: EventScope, f: AuditRowFilter) {
  const all = []
  if (f.personId !== undefined) {
    all.push(eb.or([eb('e.actor_id', '=', f.personId), eb('e.subject_id', '=', f.personId)]))
  }
  if (f.types && f.types.length > 0) {
    // A prefix is matched with LIKE: its "_" also matches any one character, which no two types tell
    // apart (types are lowercase words joined by "." and "_"), and both engines read the pattern alike.
    all.push(
      eb.or(
        f.types.map((t) =>
          t.endsWith('.') || t.endsWith('_') ? eb('e.type', 'like', `${t}%`) : eb('e.type', '=', t),
        ),
      ),
    )
  }
  if (f.from !== undefined) all.push(eb('e.at', '>=', f.from))
  if (f.to !== undefined) all.push(eb('e.at', '<', f.to))
  return eb.and(all)
}

/** One page of the filtered trail, newest first (keyset on seq), with the names of actor and subject. */
export function listNamedAuditEvents(
  db: Store,
  filter: AuditRowFilter,
  before: number | undefined,
  limit: number,
): Promise<NamedAuditRow[]> {
  return namedEvents(db.q)
    .where((eb) => matching(eb as unknown as EventScope, filter))
    .where('e.seq', '<', before ?? Number.MAX_SAFE_INTEGER)
    .orderBy('e.seq', 'desc')
    .limit(limit)
    .execute()
}

/** The filtered trail in chain order, `batch` at a time (keyset on seq), as an export streams it. */
export async function* filteredAuditEventsInOrder(
  db: Store,
  filter: AuditRowFilter,
  batch = 5000,
): AsyncGenerator<AuditRow> {
  let last = 0
  for (;;) {
    const page = await db.q
      .selectFrom('audit_events as e')
      .select(EVENT_COLUMNS)
      .where((eb) => matching(eb as unknown as EventScope, filter))
      .where('e.seq', '>', last)
      .orderBy('e.seq')
      .limit(batch)
      .execute()
    yield* page
    if (page.length < batch) return
    last = page.at(-1)!.seq
  }
}

/** Names and emails of the accounts with these ids (those that still exist), for ids inside events' data. */
export async function namesOf(
  db: Store,
  ids: readonly number[],
): Promise<Map<number, { name: string; email: string }>> {
  const found = new Map<number, { name: string; email: string }>()
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db.q
      .selectFrom('users')
      .select(['id', 'name', 'email'])
      .where('id', 'in', ids.slice(i, i + 500))
      .execute()
    for (const r of rows) found.set(Number(r.id), { name: r.name, email: r.email })
  }
  return found
}

// LIMIT as a literal: SQLite plans with a value bound to LIMIT, so binding one makes it prepare the
// statement again on every run, which doubled the cost of this read in every append's transaction.
const head = prepared((q) =>
  q.selectFrom('audit_events').select(['seq', 'hash']).orderBy('seq', 'desc').limit(sql.lit(1)),
)

export async function auditHead(db: Store): Promise<{ seq: number; hash: string } | undefined> {
  return (await head(db))[0]
}

/** Rows per INSERT: 8 columns each, well under SQLite's 32,766 bound parameters. */
const INSERT_BATCH = 1000

type AuditValues = [number, number, string, number | null, number | null, string, string, string]
const insertOne = prepared((q, [seq, at, type, actor, subject, data, prev, hash]: Args<AuditValues>) =>
  q.insertInto('audit_events').values({
    seq,
    at,
    type,
    actor_id: actor,
    subject_id: subject,
    data,
    prev_hash: prev,
    hash,
  }),
)

export async function insertAuditEvents(db: Store, rows: readonly AuditRow[]): Promise<void> {
  const [one] = rows
  if (rows.length === 1 && one) {
    // Every action appends one event: that insert is compiled once.
    const r = one
    await insertOne(db, r.seq, r.at, r.type, r.actor_id, r.subject_id, r.data, r.prev_hash, r.hash)
    return
  }
  for (let i = 0; i < rows.length; i += INSERT_BATCH) {
    await db.q
      .insertInto('audit_events')
      .values(
        rows.slice(i, i + INSERT_BATCH).map((row) => ({
          seq: row.seq,
          at: row.at,
          type: row.type,
          actor_id: row.actor_id,
          subject_id: row.subject_id,
          data: row.data,
          prev_hash: row.prev_hash,
          hash: row.hash,
        })),
      )
      .execute()
  }
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
export function auditEventsInOrder(db: Store, batch = 5000): AsyncGenerator<AuditRow> {
  return auditEventsInRange(db, 1, Number.MAX_SAFE_INTEGER, batch)
}

/** Newest first, keyset-paginated on seq. */
export function listAuditEvents(db: Store, before: number | undefined, limit: number): Promise<AuditRow[]> {
  return auditPage(db, before ?? Number.MAX_SAFE_INTEGER, limit)
}

const auditPage = prepared((q, [before, limit]: Args<[number, number]>) =>
  q.selectFrom('audit_events').select(COLUMNS).where('seq', '<', before).orderBy('seq', 'desc').limit(limit),
)

/**
 * The events from `from` to `to` (inclusive) in chain order, `batch` at a time, as the verification of
 * one range of the chain reads them.
 */
export async function* auditEventsInRange(
  db: Store,
  from: number,
  to: number,
  batch = 5000,
): AsyncGenerator<AuditRow> {
  let last = from - 1
  while (last < to) {
    const page = await db.q
      .selectFrom('audit_events')
      .select(COLUMNS)
      .where('seq', '>', last)
      .where('seq', '<=', to)
      .orderBy('seq')
      .limit(batch)
      .execute()
    yield* page
    if (page.length < batch) return
    last = page.at(-1)!.seq
  }
}

/** The stored hashes of the events at `seqs` (those that exist), by sequence number. */
export async function auditHashesAt(db: Store, seqs: readonly number[]): Promise<Map<number, string>> {
  const found = new Map<number, string>()
  // 500 at a time: well under either engine's limit on bound parameters.
  for (let i = 0; i < seqs.length; i += 500) {
    const rows = await db.q
      .selectFrom('audit_events')
      .select(['seq', 'hash'])
      .where('seq', 'in', seqs.slice(i, i + 500))
      .execute()
    for (const r of rows) found.set(r.seq, r.hash)
  }
  return found
}
