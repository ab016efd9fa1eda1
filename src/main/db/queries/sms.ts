import { sql } from 'kysely'
import type { SmsProviderName as SmsProvider, SmsStatusName as SmsStatus } from '../../../shared/schemas'
import { sealedAt } from '../sealed'
import type { Store } from '../store'

export type { SmsProvider, SmsStatus }

export interface SmsOutboxRow {
  id: number
  to_e164: string
  body: string
  display_text: string
  kind: string
  user_id: number | null
  status: SmsStatus
  attempts: number
  next_attempt_at: number | null
  last_error: string | null
  provider: SmsProvider | null
  provider_sid: string | null
  provider_status: string | null
  created_at: number
  updated_at: number
  sent_at: number | null
}

/*
 * Status names that a partial index's WHERE clause names go in as literals, not parameters: SQLite uses
 * a partial index only when the query states the index's condition with the same constants.
 */
const DUE = (['queued', 'sending'] as const).map((st) => sql.lit(st))
const SENT = sql.lit('sent' as const)
const TWILIO = sql.lit('twilio' as const)

const COLUMNS = [
  'id',
  'to_e164',
  'body',
  'display_text',
  'kind',
  'user_id',
  'status',
  'attempts',
  'next_attempt_at',
  'last_error',
  'provider',
  'provider_sid',
  'provider_status',
  'created_at',
  'updated_at',
  'sent_at',
] as const

/**
 * A message as the services see it: number and body opened. Once a message has left, its body is its
 * display text (the code is gone), kept as it is.
 */
function opened(db: Store, row: SmsOutboxRow): SmsOutboxRow {
  return {
    ...row,
    to_e164: db.seal.openText(row.to_e164, sealedAt.smsTo(row.user_id)),
    body:
      row.body === row.display_text ? row.body : db.seal.openText(row.body, sealedAt.smsBody(row.user_id)),
  }
}

export async function insertSms(
  db: Store,
  m: { to: string; body: string; displayText: string; kind: string; userId: number | null; now: number },
): Promise<number> {
  const row = await db.q
    .insertInto('sms_outbox')
    .values({
      to_e164: db.seal.text(m.to, sealedAt.smsTo(m.userId)),
      to_key: db.seal.lookupKey(m.to),
      body: db.seal.text(m.body, sealedAt.smsBody(m.userId)),
      display_text: m.displayText,
      kind: m.kind,
      user_id: m.userId,
      status: 'queued',
      next_attempt_at: m.now,
      created_at: m.now,
      updated_at: m.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function getSms(db: Store, id: number): Promise<SmsOutboxRow | undefined> {
  const row = await db.q.selectFrom('sms_outbox').select(COLUMNS).where('id', '=', id).executeTakeFirst()
  return row && opened(db, row)
}

/**
 * Claims the oldest due message (a queued one whose time has come, or one whose `sending` lease lapsed):
 * status → sending, one more attempt, and a lease until `leaseUntil`. Run it inside the caller's write
 * transaction so two workers (the app and the CLI) never claim the same row. `onlyId` claims that
 * message only.
 */
export async function claimDueSms(
  db: Store,
  now: number,
  leaseUntil: number,
  onlyId: number | null = null,
): Promise<ClaimedSms | undefined> {
  // The caller's write transaction serializes claims on both engines (BEGIN IMMEDIATE on the file, the
  // team database's write lock on PostgreSQL).
  const due = await db.q
    .selectFrom('sms_outbox')
    .select(['id', 'attempts'])
    .where('status', 'in', DUE)
    .where('next_attempt_at', '<=', now)
    .where('provider_sid', 'is', null)
    .$if(onlyId !== null, (qb) => qb.where('id', '=', onlyId!))
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst()
  if (!due) return undefined
  // The update states the whole claim again: whatever the engine's locking, a row that another worker
  // claimed meanwhile (its lease now lies ahead) changes nothing here and is not taken twice.
  const claimed = await db.q
    .updateTable('sms_outbox')
    .set((eb) => ({
      status: 'sending',
      attempts: eb('attempts', '+', 1),
      next_attempt_at: leaseUntil,
      updated_at: now,
    }))
    .where('id', '=', due.id)
    .where('status', 'in', DUE)
    .where('next_attempt_at', '<=', now)
    .where('provider_sid', 'is', null)
    .returning(COLUMNS)
    .executeTakeFirst()
  return claimed && { ...opened(db, claimed), triedBefore: Number(due.attempts) > 0 }
}

/**
 * A claimed message, and whether it was tried before: that attempt may have reached the provider
 * without its answer being recorded (a timeout, or the app killed while waiting).
 */
export type ClaimedSms = SmsOutboxRow & { triedBefore: boolean }

/** Which of these provider SIDs the outbox already holds. */
export async function knownSmsSids(db: Store, sids: readonly string[]): Promise<Set<string>> {
  if (sids.length === 0) return new Set()
  const rows = await db.q
    .selectFrom('sms_outbox')
    .select('provider_sid')
    .where('provider_sid', 'in', sids)
    .execute()
  return new Set(rows.map((r) => r.provider_sid!))
}

/** Records an accepted message. Only a claimed message without a SID changes, so a SID is never replaced. */
export async function markSmsSent(
  db: Store,
  m: {
    id: number
    status: 'sent' | 'delivered'
    provider: SmsProvider
    sid: string | null
    providerStatus: string | null
    now: number
  },
): Promise<boolean> {
  const r = await db.q
    .updateTable('sms_outbox')
    .set((eb) => ({
      status: m.status,
      provider: m.provider,
      provider_sid: m.sid,
      provider_status: m.providerStatus,
      sent_at: m.now,
      updated_at: m.now,
      next_attempt_at: null,
      last_error: null,
      body: eb.ref('display_text'),
    }))
    .where('id', '=', m.id)
    .where('status', '=', 'sending')
    .where('provider_sid', 'is', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/**
 * A failed attempt: back to `queued` for another try at `retryAt`, or `failed` for good when it is null.
 * A message that left (sent) or never will (failed) keeps only the text the console shows, without a code.
 */
export async function markSmsAttemptFailed(
  db: Store,
  m: {
    id: number
    provider: SmsProvider
    error: string
    retryAt: number | null
    now: number
  },
): Promise<boolean> {
  const final = m.retryAt === null
  const r = await db.q
    .updateTable('sms_outbox')
    .set((eb) => ({
      status: final ? 'failed' : 'queued',
      provider: m.provider,
      last_error: m.error,
      next_attempt_at: m.retryAt,
      updated_at: m.now,
      ...(final ? { body: eb.ref('display_text') } : {}),
    }))
    .where('id', '=', m.id)
    .where('status', '=', 'sending')
    .where('provider_sid', 'is', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/** Newest first, keyset on id. */
export async function listSms(db: Store, before: number | undefined, limit: number): Promise<SmsOutboxRow[]> {
  const rows = await db.q
    .selectFrom('sms_outbox')
    .select(COLUMNS)
    .where('id', '<', before ?? Number.MAX_SAFE_INTEGER)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
  return rows.map((r) => opened(db, r))
}

/** Twilio statuses after which a message's status no longer changes. */
export const FINAL_PROVIDER_STATUSES = ['delivered', 'undelivered', 'failed', 'canceled', 'read'] as const

/**
 * Twilio messages whose delivery is not known yet, sent since `since` and not looked at since
 * `staleBefore` (migration 0007's partial index), oldest look first.
 */
export async function smsAwaitingStatus(
  db: Store,
  m: { since: number; staleBefore: number; limit: number },
): Promise<SmsOutboxRow[]> {
  const rows = await db.q
    .selectFrom('sms_outbox')
    .select(COLUMNS)
    .where('status', '=', SENT)
    .where('provider', '=', TWILIO)
    .where('provider_sid', 'is not', null)
    .where('sent_at', '>=', m.since)
    .where('updated_at', '<=', m.staleBefore)
    .where((eb) => eb(eb.fn.coalesce('provider_status', sql.lit('')), 'not in', FINAL_PROVIDER_STATUSES))
    .orderBy('updated_at')
    .limit(m.limit)
    .execute()
  return rows.map((r) => opened(db, r))
}

/** What the provider now says about an accepted message; a final status is never changed again. */
export async function updateSmsProviderStatus(
  db: Store,
  m: { id: number; status: 'sent' | 'delivered'; providerStatus: string; error: string | null; now: number },
): Promise<boolean> {
  const r = await db.q
    .updateTable('sms_outbox')
    .set({
      status: m.status,
      provider_status: m.providerStatus,
      updated_at: m.now,
      ...(m.error !== null ? { last_error: m.error } : {}),
    })
    .where('id', '=', m.id)
    .where('status', '=', 'sent')
    .where('provider_sid', 'is not', null)
    .where((eb) => eb(eb.fn.coalesce('provider_status', sql.lit('')), 'not in', FINAL_PROVIDER_STATUSES))
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/** Messages queued since `since`: to one number, for one person, and in all (the SMS cost caps). */
export async function smsCountsSince(
  db: Store,
  q: { to: string; userId: number | null; since: number },
): Promise<{ number: number; person: number; all: number }> {
  const row = await db.q
    .selectFrom('sms_outbox')
    .select((eb) => [
      eb.fn.countAll().filterWhere('to_key', '=', db.seal.lookupKey(q.to)).as('number'),
      // No person matches a null user (as `user_id = NULL` never holds).
      q.userId === null
        ? sql<number>`0`.as('person')
        : eb.fn.countAll().filterWhere('user_id', '=', q.userId).as('person'),
      eb.fn.countAll().as('all'),
    ])
    .where('created_at', '>=', q.since)
    .executeTakeFirstOrThrow()
  // PostgreSQL's count is a bigint, which its driver returns as text.
  return { number: Number(row.number), person: Number(row.person), all: Number(row.all) }
}
