import { sql, type Kysely } from 'kysely'
import type { RecoveryStatus, Role } from '../../../shared/schemas'
import { sealedAt } from '../sealed'
import { prepared, type Args } from '../compiled'
import type { Schema } from '../schema'
import type { Store } from '../store'
import { namedEvents, type NamedAuditRow } from './audit'

export interface RecoveryRow {
  id: number
  user_id: number
  status: RecoveryStatus
  message: string
  contact: string
  created_at: number
  updated_at: number
  expires_at: number
  approved_at: number | null
  effective_at: number | null
  decided_by: number | null
  denied_reason: string | null
  completed_at: number | null
  /** 'lost_device': filed by the person after the password; 'admin_reset': an admin asked to reset their 2FA. */
  kind: 'lost_device' | 'admin_reset'
  filed_by: number | null
  /** What the request ends with: a new authenticator, a new password, or both. */
  purpose: '2fa' | 'password' | 'both'
}

/** A request with its person and the counts the queue shows. */
export interface RecoveryListRow extends RecoveryRow {
  email: string
  name: string
  role: Role
  former_role: 'admin' | 'owner' | null
  demoted_at: number | null
  check_count: number
  approvals: number
}

export interface AccessCodeRow {
  id: number
  request_id: number
  user_id: number
  code_hash: string
  delivery: 'sms' | 'agent'
  issued_by: number | null
  created_at: number
  expires_at: number
  used_at: number | null
  revoked_at: number | null
}

/*
 * The live statuses go in as literals, not parameters: SQLite uses the partial indexes on live requests
 * (one per user, by expiry) only when the query states their condition with the same constants.
 */
const LIVE = (['open', 'verifying', 'approved'] as const).map((st) => sql.lit(st))

/** The later of the stored expiry and `expiresAt` (a request's expiry only ever moves later). */
const laterExpiry = (expiresAt: number) =>
  sql<number>`case when expires_at >= ${expiresAt} then expires_at else ${expiresAt} end`

function openRequest<R extends { user_id: number; message: string; contact: string }>(db: Store, row: R): R {
  return {
    ...row,
    message: db.seal.openText(row.message, sealedAt.recovery(row.user_id, 'message')),
    contact: db.seal.openText(row.contact, sealedAt.recovery(row.user_id, 'contact')),
  }
}

export async function insertRecoveryRequest(
  db: Store,
  r: {
    userId: number
    message: string
    contact: string
    now: number
    expiresAt: number
    kind?: RecoveryRow['kind']
    filedBy?: number | null
    purpose?: RecoveryRow['purpose']
  },
): Promise<number> {
  const row = await db.q
    .insertInto('recovery_requests')
    .values({
      user_id: r.userId,
      status: 'open',
      message: db.seal.text(r.message, sealedAt.recovery(r.userId, 'message')),
      contact: db.seal.text(r.contact, sealedAt.recovery(r.userId, 'contact')),
      created_at: r.now,
      updated_at: r.now,
      expires_at: r.expiresAt,
      kind: r.kind ?? 'lost_device',
      filed_by: r.filedBy === undefined ? r.userId : r.filedBy,
      purpose: r.purpose ?? '2fa',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function getRecoveryRequest(db: Store, id: number): Promise<RecoveryRow | undefined> {
  const row = await db.q.selectFrom('recovery_requests').selectAll().where('id', '=', id).executeTakeFirst()
  return row && openRequest(db, row)
}

export async function liveRequestOf(db: Store, userId: number): Promise<RecoveryRow | undefined> {
  const row = await db.q
    .selectFrom('recovery_requests')
    .selectAll()
    .where('user_id', '=', userId)
    .where('status', 'in', LIVE)
    .executeTakeFirst()
  return row && openRequest(db, row)
}

/** Live requests past their expiry: the sweep marks them expired. */
export async function dueToExpire(db: Store, now: number): Promise<RecoveryRow[]> {
  return (await expiring(db, now)).map((r) => openRequest(db, r))
}

const expiring = prepared((q, [now]: Args<[number]>) =>
  q.selectFrom('recovery_requests').selectAll().where('status', 'in', LIVE).where('expires_at', '<=', now),
)

export async function setRecoveryStatus(
  db: Store,
  id: number,
  from: readonly RecoveryStatus[],
  to: RecoveryStatus,
  now: number,
  extra: { decidedBy?: number; deniedReason?: string; completedAt?: number } = {},
): Promise<boolean> {
  if (from.length === 0) return false
  const r = await db.q
    .updateTable('recovery_requests')
    .set({
      status: to,
      updated_at: now,
      // What is not given keeps its stored value.
      ...(extra.decidedBy !== undefined ? { decided_by: extra.decidedBy } : {}),
      ...(extra.deniedReason !== undefined ? { denied_reason: extra.deniedReason } : {}),
      ...(extra.completedAt !== undefined ? { completed_at: extra.completedAt } : {}),
    })
    .where('id', '=', id)
    .where('status', 'in', from)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export async function markApproved(
  db: Store,
  id: number,
  r: { now: number; effectiveAt: number; expiresAt: number; decidedBy: number },
): Promise<boolean> {
  const result = await db.q
    .updateTable('recovery_requests')
    .set({
      status: 'approved',
      approved_at: r.now,
      effective_at: r.effectiveAt,
      expires_at: laterExpiry(r.expiresAt),
      decided_by: r.decidedBy,
      updated_at: r.now,
    })
    .where('id', '=', id)
    .where('status', '=', 'verifying')
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

export async function extendRecoveryExpiry(db: Store, id: number, expiresAt: number): Promise<void> {
  await db.q
    .updateTable('recovery_requests')
    .set({ expires_at: laterExpiry(expiresAt) })
    .where('id', '=', id)
    .execute()
}

export async function touchRecoveryRequest(db: Store, id: number, now: number): Promise<void> {
  await db.q.updateTable('recovery_requests').set({ updated_at: now }).where('id', '=', id).execute()
}

/** Requests with their person and the counts the queue shows. */
function listQuery(q: Kysely<Schema>) {
  return q
    .selectFrom('recovery_requests as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .selectAll('r')
    .select(['u.email', 'u.name', 'u.role', 'u.former_role', 'u.demoted_at'])
    .select((eb) => [
      eb
        .selectFrom('recovery_checks as c')
        .select((c) => c.fn.countAll().as('n'))
        .whereRef('c.request_id', '=', 'r.id')
        .as('check_count'),
      eb
        .selectFrom('recovery_approvals as a')
        .select((a) => a.fn.countAll().as('n'))
        .whereRef('a.request_id', '=', 'r.id')
        .as('approvals'),
    ])
}

type ListQueryRow = Awaited<ReturnType<ReturnType<typeof listQuery>['executeTakeFirstOrThrow']>>

// PostgreSQL's count is a bigint, which its driver returns as text.
const listRow = (db: Store, row: ListQueryRow): RecoveryListRow => ({
  ...openRequest(db, row),
  check_count: Number(row.check_count),
  approvals: Number(row.approvals),
})

/** Newest first, keyset-paginated on id; `statuses` null = every status. */
export async function listRecoveryRequests(
  db: Store,
  statuses: readonly RecoveryStatus[] | null,
  before: number | undefined,
  limit: number,
): Promise<RecoveryListRow[]> {
  if (statuses?.length === 0) return []
  const rows = await pageOf(statuses)(db, before ?? Number.MAX_SAFE_INTEGER, limit)
  return rows.map((r) => listRow(db, r))
}

/** One prepared page per set of statuses (a handful: the schema's values, as the queue asks for them). */
const pages = new Map<string, (db: Store, before: number, limit: number) => Promise<ListQueryRow[]>>()
function pageOf(statuses: readonly RecoveryStatus[] | null) {
  const shape = statuses?.join() ?? '*'
  let page = pages.get(shape)
  if (!page)
    pages.set(
      shape,
      (page = prepared((q, [before, limit]: Args<[number, number]>) =>
        listQuery(q)
          .where('r.id', '<', before)
          .$if(statuses !== null, (qb) => qb.where('r.status', 'in', statuses!))
          .orderBy('r.id', 'desc')
          .limit(limit),
      )),
    )
  return page
}

const listRowById = prepared((q, [id]: Args<[number]>) => listQuery(q).where('r.id', '=', id))

export async function getRecoveryListRow(db: Store, id: number): Promise<RecoveryListRow | undefined> {
  const [row] = await listRowById(db, id)
  return row && listRow(db, row)
}

const liveCount = prepared((q) =>
  q
    .selectFrom('recovery_requests')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('status', 'in', LIVE),
)

export async function countLiveRecoveryRequests(db: Store): Promise<number> {
  const [row] = await liveCount(db)
  return Number(row?.n ?? 0)
}

/** Records checks not yet recorded; returns the ones that were new. */
export async function addRecoveryChecks(
  db: Store,
  requestId: number,
  checks: readonly string[],
  agentId: number,
  now: number,
): Promise<string[]> {
  const added: string[] = []
  for (const check of checks) {
    const r = await db.q
      .insertInto('recovery_checks')
      .values({ request_id: requestId, check_key: check, agent_id: agentId, created_at: now })
      .onConflict((oc) => oc.columns(['request_id', 'check_key']).doNothing())
      .executeTakeFirst()
    if (Number(r.numInsertedOrUpdatedRows) === 1) added.push(check)
  }
  return added
}

export async function recoveryChecksOf(
  db: Store,
  requestId: number,
): Promise<{ check_key: string; agent_id: number | null; created_at: number }[]> {
  return (
    db.q
      .selectFrom('recovery_checks')
      .select(['check_key', 'agent_id', 'created_at'])
      .where('request_id', '=', requestId)
      .orderBy('created_at')
      // Checks recorded together share created_at and are listed in the order they were given: SQLite's
      // rowid, which the PostgreSQL schema gives recovery_checks as an identity column of that name.
      .orderBy(sql`rowid`)
      .execute()
  )
}

export async function addRecoveryNote(
  db: Store,
  requestId: number,
  agentId: number,
  body: string,
  now: number,
): Promise<void> {
  await db.q
    .insertInto('recovery_notes')
    .values({
      request_id: requestId,
      agent_id: agentId,
      body: db.seal.text(body, sealedAt.recoveryNote(requestId)),
      created_at: now,
    })
    .execute()
}

export async function recoveryNotesOf(
  db: Store,
  requestId: number,
): Promise<{ agent_id: number | null; body: string; created_at: number }[]> {
  const rows = await db.q
    .selectFrom('recovery_notes')
    .select(['agent_id', 'body', 'created_at'])
    .where('request_id', '=', requestId)
    .orderBy('id')
    .execute()
  return rows.map((r) => ({ ...r, body: db.seal.openText(r.body, sealedAt.recoveryNote(requestId)) }))
}

export async function addRecoveryApproval(
  db: Store,
  requestId: number,
  agentId: number,
  now: number,
): Promise<boolean> {
  const r = await db.q
    .insertInto('recovery_approvals')
    .values({ request_id: requestId, agent_id: agentId, created_at: now })
    .onConflict((oc) => oc.columns(['request_id', 'agent_id']).doNothing())
    .executeTakeFirst()
  return Number(r.numInsertedOrUpdatedRows) === 1
}

export async function recoveryApprovalsOf(
  db: Store,
  requestId: number,
): Promise<{ agent_id: number; created_at: number }[]> {
  return db.q
    .selectFrom('recovery_approvals')
    .select(['agent_id', 'created_at'])
    .where('request_id', '=', requestId)
    .orderBy('created_at')
    .orderBy('agent_id')
    .execute()
}

/** Revokes every unused code of a request (a new one replaces them, or the request ends). */
export async function revokeAccessCodes(db: Store, requestId: number, now: number): Promise<number> {
  const r = await db.q
    .updateTable('access_codes')
    .set({ revoked_at: now })
    .where('request_id', '=', requestId)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows)
}

export async function insertAccessCode(
  db: Store,
  r: {
    requestId: number
    userId: number
    codeHash: string
    delivery: 'sms' | 'agent'
    issuedBy: number
    now: number
    expiresAt: number
  },
): Promise<number> {
  const row = await db.q
    .insertInto('access_codes')
    .values({
      request_id: r.requestId,
      user_id: r.userId,
      code_hash: r.codeHash,
      delivery: r.delivery,
      issued_by: r.issuedBy,
      created_at: r.now,
      expires_at: r.expiresAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function accessCodesOf(db: Store, requestId: number): Promise<AccessCodeRow[]> {
  return db.q
    .selectFrom('access_codes')
    .selectAll()
    .where('request_id', '=', requestId)
    .orderBy('id')
    .execute()
}

export async function findAccessCode(
  db: Store,
  userId: number,
  codeHash: string,
): Promise<AccessCodeRow | undefined> {
  return db.q
    .selectFrom('access_codes')
    .selectAll()
    .where('user_id', '=', userId)
    .where('code_hash', '=', codeHash)
    .executeTakeFirst()
}

/** Spends a code: only one caller can, even across processes. */
export async function useAccessCode(db: Store, id: number, now: number): Promise<boolean> {
  const r = await db.q
    .updateTable('access_codes')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/**
 * The recovery events about one request, oldest first. The person's recovery events come from the
 * database (by the subject index) and the request is picked from their data here, so no engine's JSON
 * functions are needed: a person has few recovery events, over few requests.
 */
export async function recoveryEvents(db: Store, userId: number, requestId: number): Promise<NamedAuditRow[]> {
  const rows = await namedEvents(db.q)
    .where('e.subject_id', '=', userId)
    .where('e.type', 'like', 'recovery.%')
    .orderBy('e.seq')
    .execute()
  return rows.filter((r) => (JSON.parse(r.data) as { requestId?: unknown } | null)?.requestId === requestId)
}

/** A user's requests, newest first. */
export async function recoveryRequestsOf(
  db: Store,
  userId: number,
  limit: number,
): Promise<Pick<RecoveryRow, 'id' | 'status' | 'created_at' | 'updated_at'>[]> {
  return requestsOf(db, userId, limit)
}

const requestsOf = prepared((q, [userId, limit]: Args<[number, number]>) =>
  q
    .selectFrom('recovery_requests')
    .select(['id', 'status', 'created_at', 'updated_at'])
    .where('user_id', '=', userId)
    .orderBy('id', 'desc')
    .limit(limit),
)
