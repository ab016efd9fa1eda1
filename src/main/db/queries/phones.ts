import { prepared, type Db } from '../connection'

export type SmsCodePurpose = 'login' | 'phone_verify'

export interface PhoneRow {
  user_id: number
  e164: string
  verified_at: number
  created_at: number
  updated_at: number
}

export interface PhonePendingRow {
  user_id: number
  e164: string
  code_id: number
  expires_at: number
  created_at: number
}

export interface SmsCodeRow {
  id: number
  user_id: number
  purpose: SmsCodePurpose
  code_hash: string
  created_at: number
  expires_at: number
  tries: number
  used_at: number | null
}

export function getPhone(db: Db, userId: number): PhoneRow | undefined {
  return prepared(db, 'SELECT * FROM phones WHERE user_id = ?').get(userId) as PhoneRow | undefined
}

export function putPhone(db: Db, userId: number, e164: string, now: number): void {
  prepared(
    db,
    `INSERT INTO phones (user_id, e164, verified_at, created_at, updated_at) VALUES (@userId, @e164, @now, @now, @now)
     ON CONFLICT (user_id) DO UPDATE SET e164 = excluded.e164, verified_at = excluded.verified_at,
       updated_at = excluded.updated_at`,
  ).run({ userId, e164, now })
}

export function getPhonePending(db: Db, userId: number): PhonePendingRow | undefined {
  return prepared(db, 'SELECT * FROM phone_pending WHERE user_id = ?').get(userId) as
    PhonePendingRow | undefined
}

export function putPhonePending(
  db: Db,
  p: { userId: number; e164: string; codeId: number; expiresAt: number; now: number },
): void {
  prepared(
    db,
    `INSERT INTO phone_pending (user_id, e164, code_id, expires_at, created_at)
     VALUES (@userId, @e164, @codeId, @expiresAt, @now)
     ON CONFLICT (user_id) DO UPDATE SET e164 = excluded.e164, code_id = excluded.code_id,
       expires_at = excluded.expires_at, created_at = excluded.created_at`,
  ).run(p)
}

export function deletePhonePending(db: Db, userId: number): void {
  prepared(db, 'DELETE FROM phone_pending WHERE user_id = ?').run(userId)
}

export function insertSmsCode(
  db: Db,
  c: { userId: number; purpose: SmsCodePurpose; codeHash: string; now: number; expiresAt: number },
): number {
  return Number(
    prepared(
      db,
      `INSERT INTO sms_codes (user_id, purpose, code_hash, created_at, expires_at)
       VALUES (@userId, @purpose, @codeHash, @now, @expiresAt)`,
    ).run(c).lastInsertRowid,
  )
}

export function getSmsCode(db: Db, id: number): SmsCodeRow | undefined {
  return prepared(db, 'SELECT * FROM sms_codes WHERE id = ?').get(id) as SmsCodeRow | undefined
}

/** The newest code of a purpose: only it may be used (a new code replaces the ones before). */
export function latestSmsCode(db: Db, userId: number, purpose: SmsCodePurpose): SmsCodeRow | undefined {
  return prepared(
    db,
    'SELECT * FROM sms_codes WHERE user_id = ? AND purpose = ? ORDER BY id DESC LIMIT 1',
  ).get(userId, purpose) as SmsCodeRow | undefined
}

/** Codes a user was sent since `since`, oldest first (the hourly limit). */
export function smsCodeTimesSince(db: Db, userId: number, since: number): number[] {
  return prepared(
    db,
    'SELECT created_at FROM sms_codes WHERE user_id = ? AND created_at > ? ORDER BY created_at',
  )
    .pluck()
    .all(userId, since) as number[]
}

/** One more wrong try; returns the tries now counted. */
export function addSmsCodeTry(db: Db, id: number): number {
  prepared(db, 'UPDATE sms_codes SET tries = min(tries + 1, 3) WHERE id = ?').run(id)
  return (prepared(db, 'SELECT tries FROM sms_codes WHERE id = ?').pluck().get(id) as number) ?? 3
}

/** Spends a code; false when it was already used (another attempt won). */
export function useSmsCode(db: Db, id: number, now: number): boolean {
  return (
    prepared(db, 'UPDATE sms_codes SET used_at = ? WHERE id = ? AND used_at IS NULL').run(now, id).changes ===
    1
  )
}
