import { sql, type Selectable } from 'kysely'
import type { EmailOutboxTable, EmailStatus } from '../schema'
import { sealedAt } from '../sealed'
import type { Store } from '../store'

export type { EmailStatus }
export type EmailProviderName = 'outbox' | 'smtp'

export type EmailOutboxRow = Selectable<EmailOutboxTable>

/* Literals, not parameters, where a partial index's WHERE names them (see queries/sms.ts). */
const DUE = (['queued', 'sending'] as const).map((st) => sql.lit(st))

const COLUMNS = [
  'id',
  'to_address',
  'subject',
  'body_text',
  'body_html',
  'display_text',
  'kind',
  'user_id',
  'status',
  'attempts',
  'next_attempt_at',
  'last_error',
  'provider',
  'provider_id',
  'created_at',
  'updated_at',
  'sent_at',
] as const

/** A message as the services see it: address and bodies opened (a message that left keeps no code). */
function opened(db: Store, row: EmailOutboxRow): EmailOutboxRow {
  const left = row.body_text === row.display_text
  return {
    ...row,
    to_address: db.seal.openText(row.to_address, sealedAt.emailTo(row.user_id)),
    body_text: left
      ? row.body_text
      : db.seal.openText(row.body_text, sealedAt.emailBody(row.user_id, 'text')),
    body_html:
      row.body_html === null
        ? null
        : db.seal.openText(row.body_html, sealedAt.emailBody(row.user_id, 'html')),
  }
}

export async function insertEmail(
  db: Store,
  m: {
    to: string
    subject: string
    text: string
    html: string
    displayText: string
    kind: string
    userId: number | null
    now: number
  },
): Promise<number> {
  const row = await db.q
    .insertInto('email_outbox')
    .values({
      to_address: db.seal.text(m.to, sealedAt.emailTo(m.userId)),
      subject: m.subject,
      body_text:
        m.text === m.displayText ? m.text : db.seal.text(m.text, sealedAt.emailBody(m.userId, 'text')),
      body_html: db.seal.text(m.html, sealedAt.emailBody(m.userId, 'html')),
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

export async function getEmail(db: Store, id: number): Promise<EmailOutboxRow | undefined> {
  const row = await db.q.selectFrom('email_outbox').select(COLUMNS).where('id', '=', id).executeTakeFirst()
  return row && opened(db, row)
}

/**
 * Claims the oldest due message (queued and due, or `sending` with a lapsed lease): status → sending, one
 * more attempt, a lease until `leaseUntil`. Inside the caller's write transaction, like claimDueSms.
 */
export async function claimDueEmail(
  db: Store,
  now: number,
  leaseUntil: number,
  onlyId: number | null = null,
): Promise<EmailOutboxRow | undefined> {
  const due = await db.q
    .selectFrom('email_outbox')
    .select('id')
    .where('status', 'in', DUE)
    .where('next_attempt_at', '<=', now)
    .where('provider_id', 'is', null)
    .$if(onlyId !== null, (qb) => qb.where('id', '=', onlyId!))
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst()
  if (!due) return undefined
  const claimed = await db.q
    .updateTable('email_outbox')
    .set((eb) => ({
      status: 'sending',
      attempts: eb('attempts', '+', 1),
      next_attempt_at: leaseUntil,
      updated_at: now,
    }))
    .where('id', '=', due.id)
    .where('status', 'in', DUE)
    .where('next_attempt_at', '<=', now)
    .where('provider_id', 'is', null)
    .returning(COLUMNS)
    .executeTakeFirst()
  return claimed && opened(db, claimed)
}

/**
 * Records an accepted message: only a claimed one changes, and the bodies keep no code from then on
 * (the text becomes the display text, the HTML goes).
 */
export async function markEmailSent(
  db: Store,
  m: { id: number; provider: EmailProviderName; providerId: string | null; now: number },
): Promise<boolean> {
  const r = await db.q
    .updateTable('email_outbox')
    .set((eb) => ({
      status: 'sent',
      provider: m.provider,
      provider_id: m.providerId,
      sent_at: m.now,
      updated_at: m.now,
      next_attempt_at: null,
      last_error: null,
      body_text: eb.ref('display_text'),
      body_html: null,
    }))
    .where('id', '=', m.id)
    .where('status', '=', 'sending')
    .where('provider_id', 'is', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/** A failed attempt: queued again at `retryAt`, or failed for good (and stripped of any code) when null. */
export async function markEmailAttemptFailed(
  db: Store,
  m: { id: number; provider: EmailProviderName; error: string; retryAt: number | null; now: number },
): Promise<boolean> {
  const final = m.retryAt === null
  const r = await db.q
    .updateTable('email_outbox')
    .set((eb) => ({
      status: final ? 'failed' : 'queued',
      provider: m.provider,
      last_error: m.error,
      next_attempt_at: m.retryAt,
      updated_at: m.now,
      ...(final ? { body_text: eb.ref('display_text'), body_html: null } : {}),
    }))
    .where('id', '=', m.id)
    .where('status', '=', 'sending')
    .where('provider_id', 'is', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/** Newest first, keyset on id. */
export async function listEmail(
  db: Store,
  before: number | undefined,
  limit: number,
): Promise<EmailOutboxRow[]> {
  const rows = await db.q
    .selectFrom('email_outbox')
    .select(COLUMNS)
    .where('id', '<', before ?? Number.MAX_SAFE_INTEGER)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
  return rows.map((r) => opened(db, r))
}

/** Messages queued since `since`: for one person, and in all (the email caps). */
export async function emailCountsSince(
  db: Store,
  q: { userId: number | null; since: number },
): Promise<{ person: number; all: number }> {
  const row = await db.q
    .selectFrom('email_outbox')
    .select((eb) => [
      q.userId === null
        ? sql<number>`0`.as('person')
        : eb.fn.countAll().filterWhere('user_id', '=', q.userId).as('person'),
      eb.fn.countAll().as('all'),
    ])
    .where('created_at', '>=', q.since)
    .executeTakeFirstOrThrow()
  return { person: Number(row.person), all: Number(row.all) }
}
