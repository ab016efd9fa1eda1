import { sql } from 'kysely'
import { sealedAt } from '../sealed'
import { prepared, type Args } from '../compiled'
import type { Store } from '../store'

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

/** Wrong tries a code survives; the table's CHECK holds the same number. */
const MAX_TRIES = 3

const phoneOf = prepared((q, [userId]: Args<[number]>) =>
  q.selectFrom('phones').selectAll().where('user_id', '=', userId),
)

export async function getPhone(db: Store, userId: number): Promise<PhoneRow | undefined> {
  const [row] = await phoneOf(db, userId)
  return row && { ...row, e164: db.seal.openText(row.e164, sealedAt.phone(userId)) }
}

export async function putPhone(db: Store, userId: number, e164: string, now: number): Promise<void> {
  await db.q
    .insertInto('phones')
    .values({
      user_id: userId,
      e164: db.seal.text(e164, sealedAt.phone(userId)),
      verified_at: now,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet((eb) => ({
        e164: eb.ref('excluded.e164'),
        verified_at: eb.ref('excluded.verified_at'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute()
}

export async function getPhonePending(db: Store, userId: number): Promise<PhonePendingRow | undefined> {
  const row = await db.q
    .selectFrom('phone_pending')
    .selectAll()
    .where('user_id', '=', userId)
    .executeTakeFirst()
  return row && { ...row, e164: db.seal.openText(row.e164, sealedAt.phonePending(userId)) }
}

export async function putPhonePending(
  db: Store,
  p: { userId: number; e164: string; codeId: number; expiresAt: number; now: number },
): Promise<void> {
  await db.q
    .insertInto('phone_pending')
    .values({
      user_id: p.userId,
      e164: db.seal.text(p.e164, sealedAt.phonePending(p.userId)),
      code_id: p.codeId,
      expires_at: p.expiresAt,
      created_at: p.now,
    })
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet((eb) => ({
        e164: eb.ref('excluded.e164'),
        code_id: eb.ref('excluded.code_id'),
        expires_at: eb.ref('excluded.expires_at'),
        created_at: eb.ref('excluded.created_at'),
      })),
    )
    .execute()
}

export async function deletePhonePending(db: Store, userId: number): Promise<void> {
  await db.q.deleteFrom('phone_pending').where('user_id', '=', userId).execute()
}

export async function insertSmsCode(
  db: Store,
  c: { userId: number; purpose: SmsCodePurpose; codeHash: string; now: number; expiresAt: number },
): Promise<number> {
  const row = await db.q
    .insertInto('sms_codes')
    .values({
      user_id: c.userId,
      purpose: c.purpose,
      // A 6-digit code's hash is quickly reversed by trying every code: sealed on a team database.
      code_hash: db.seal.text(c.codeHash, sealedAt.smsCode(c.userId)),
      created_at: c.now,
      expires_at: c.expiresAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

const openCode = (db: Store, row: SmsCodeRow | undefined): SmsCodeRow | undefined =>
  row && { ...row, code_hash: db.seal.openText(row.code_hash, sealedAt.smsCode(row.user_id)) }

export async function getSmsCode(db: Store, id: number): Promise<SmsCodeRow | undefined> {
  return openCode(db, await db.q.selectFrom('sms_codes').selectAll().where('id', '=', id).executeTakeFirst())
}

/** The newest code of a purpose: only it may be used (a new code replaces the ones before). */
export async function latestSmsCode(
  db: Store,
  userId: number,
  purpose: SmsCodePurpose,
): Promise<SmsCodeRow | undefined> {
  return openCode(
    db,
    await db.q
      .selectFrom('sms_codes')
      .selectAll()
      .where('user_id', '=', userId)
      .where('purpose', '=', purpose)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst(),
  )
}

/** Codes a user was sent since `since`, oldest first (the hourly limit). */
export async function smsCodeTimesSince(db: Store, userId: number, since: number): Promise<number[]> {
  const rows = await db.q
    .selectFrom('sms_codes')
    .select('created_at')
    .where('user_id', '=', userId)
    .where('created_at', '>', since)
    .orderBy('created_at')
    .execute()
  return rows.map((r) => r.created_at)
}

/** One more wrong try; returns the tries now counted. One statement: racing tries each count. */
export async function addSmsCodeTry(db: Store, id: number): Promise<number> {
  const row = await db.q
    .updateTable('sms_codes')
    .set({ tries: sql<number>`case when tries < ${MAX_TRIES} then tries + 1 else ${MAX_TRIES} end` })
    .where('id', '=', id)
    .returning('tries')
    .executeTakeFirst()
  return row?.tries ?? MAX_TRIES
}

/**
 * Spends a code; false when it was already used (another attempt won) or its tries ran out meanwhile
 * (wrong guesses racing this one were counted after it was read).
 */
export async function useSmsCode(db: Store, id: number, now: number): Promise<boolean> {
  const r = await db.q
    .updateTable('sms_codes')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('tries', '<', MAX_TRIES)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}
