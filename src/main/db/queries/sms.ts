import type { SmsProviderName as SmsProvider, SmsStatusName as SmsStatus } from '../../../shared/schemas'
import { prepared, type Db } from '../connection'

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

export function insertSms(
  db: Db,
  m: { to: string; body: string; displayText: string; kind: string; userId: number | null; now: number },
): number {
  return Number(
    prepared(
      db,
      `INSERT INTO sms_outbox (to_e164, body, display_text, kind, user_id, status, next_attempt_at, created_at, updated_at)
       VALUES (@to, @body, @displayText, @kind, @userId, 'queued', @now, @now, @now)`,
    ).run(m).lastInsertRowid,
  )
}

export function getSms(db: Db, id: number): SmsOutboxRow | undefined {
  return prepared(db, 'SELECT * FROM sms_outbox WHERE id = ?').get(id) as SmsOutboxRow | undefined
}

/**
 * Claims the oldest due message (a queued one whose time has come, or one whose `sending` lease lapsed):
 * status → sending, one more attempt, and a lease until `leaseUntil`. Run it inside BEGIN IMMEDIATE so two
 * workers (the app and the CLI) never claim the same row. `onlyId` claims that message only.
 */
export function claimDueSms(
  db: Db,
  now: number,
  leaseUntil: number,
  onlyId: number | null = null,
): SmsOutboxRow | undefined {
  const id = prepared(
    db,
    `SELECT id FROM sms_outbox
     WHERE status IN ('queued', 'sending') AND next_attempt_at <= @now AND provider_sid IS NULL
       AND (@onlyId IS NULL OR id = @onlyId)
     ORDER BY next_attempt_at, id LIMIT 1`,
  )
    .pluck()
    .get({ now, onlyId }) as number | undefined
  if (id === undefined) return undefined
  return prepared(
    db,
    `UPDATE sms_outbox SET status = 'sending', attempts = attempts + 1, next_attempt_at = @leaseUntil,
       updated_at = @now
     WHERE id = @id RETURNING *`,
  ).get({ id, now, leaseUntil }) as SmsOutboxRow
}

/** Records an accepted message. Only a claimed message without a SID changes, so a SID is never replaced. */
export function markSmsSent(
  db: Db,
  m: {
    id: number
    status: 'sent' | 'delivered'
    provider: SmsProvider
    sid: string | null
    providerStatus: string | null
    now: number
  },
): boolean {
  return (
    prepared(
      db,
      `UPDATE sms_outbox SET status = @status, provider = @provider, provider_sid = @sid,
         provider_status = @providerStatus, sent_at = @now, updated_at = @now, next_attempt_at = NULL,
         last_error = NULL, body = display_text
       WHERE id = @id AND status = 'sending' AND provider_sid IS NULL`,
    ).run(m).changes === 1
  )
}

/**
 * A failed attempt: back to `queued` for another try at `retryAt`, or `failed` for good when it is null.
 * A message that left (sent) or never will (failed) keeps only the text the console shows, without a code.
 */
export function markSmsAttemptFailed(
  db: Db,
  m: { id: number; provider: SmsProvider; error: string; retryAt: number | null; now: number },
): boolean {
  return (
    prepared(
      db,
      `UPDATE sms_outbox SET status = CASE WHEN @retryAt IS NULL THEN 'failed' ELSE 'queued' END,
         provider = @provider, last_error = @error, next_attempt_at = @retryAt, updated_at = @now,
         body = CASE WHEN @retryAt IS NULL THEN display_text ELSE body END
       WHERE id = @id AND status = 'sending' AND provider_sid IS NULL`,
    ).run(m).changes === 1
  )
}

/** Newest first, keyset on id. */
export function listSms(db: Db, before: number | undefined, limit: number): SmsOutboxRow[] {
  return prepared(db, 'SELECT * FROM sms_outbox WHERE id < @before ORDER BY id DESC LIMIT @limit').all({
    before: before ?? Number.MAX_SAFE_INTEGER,
    limit,
  }) as SmsOutboxRow[]
}

/** Twilio statuses after which a message's status no longer changes. */
export const FINAL_PROVIDER_STATUSES = ['delivered', 'undelivered', 'failed', 'canceled', 'read'] as const
const FINAL_SQL = `(${FINAL_PROVIDER_STATUSES.map((st) => `'${st}'`).join(', ')})`

/**
 * Twilio messages whose delivery is not known yet, sent since `since` and not looked at since
 * `staleBefore` (migration 0007's partial index), oldest look first.
 */
export function smsAwaitingStatus(
  db: Db,
  m: { since: number; staleBefore: number; limit: number },
): SmsOutboxRow[] {
  return prepared(
    db,
    `SELECT * FROM sms_outbox
     WHERE status = 'sent' AND provider = 'twilio' AND provider_sid IS NOT NULL AND sent_at >= @since
       AND updated_at <= @staleBefore
       AND coalesce(provider_status, '') NOT IN ${FINAL_SQL}
     ORDER BY updated_at LIMIT @limit`,
  ).all(m) as SmsOutboxRow[]
}

/** What the provider now says about an accepted message; a final status is never changed again. */
export function updateSmsProviderStatus(
  db: Db,
  m: { id: number; status: 'sent' | 'delivered'; providerStatus: string; error: string | null; now: number },
): boolean {
  return (
    prepared(
      db,
      `UPDATE sms_outbox SET status = @status, provider_status = @providerStatus,
         last_error = coalesce(@error, last_error), updated_at = @now
       WHERE id = @id AND status = 'sent' AND provider_sid IS NOT NULL
         AND coalesce(provider_status, '') NOT IN ${FINAL_SQL}`,
    ).run(m).changes === 1
  )
}

/** Messages queued since `since`: to one number, for one person, and in all (the SMS cost caps). */
export function smsCountsSince(
  db: Db,
  q: { to: string; userId: number | null; since: number },
): { number: number; person: number; all: number } {
  return prepared(
    db,
    `SELECT count(*) FILTER (WHERE to_e164 = @to) AS number, count(*) FILTER (WHERE user_id = @userId) AS person,
            count(*) AS "all"
     FROM sms_outbox WHERE created_at >= @since`,
  ).get(q) as { number: number; person: number; all: number }
}
