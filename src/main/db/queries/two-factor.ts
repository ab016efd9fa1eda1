import { sealedAt } from '../sealed'
import { prepared, type Args } from '../compiled'
import type { Store } from '../store'

export interface TotpRow {
  secret: Buffer
  algorithm: 'sha1' | 'sha256' | 'sha512'
  digits: 6 | 7 | 8
  period: number
  enrolled_at: number
  last_step: number | null
}

const totpOf = prepared((q, [userId]: Args<[number]>) =>
  q
    .selectFrom('totp_credentials')
    .select(['secret', 'algorithm', 'digits', 'period', 'enrolled_at', 'last_step'])
    .where('user_id', '=', userId),
)

export async function getTotp(db: Store, userId: number): Promise<TotpRow | undefined> {
  const [row] = (await totpOf(db, userId)) as (TotpRow | undefined)[]
  return row && { ...row, secret: db.seal.openBytes(row.secret, sealedAt.totp(userId)) }
}

export async function insertTotp(
  db: Store,
  userId: number,
  secret: Uint8Array,
  enrolledAt: number,
  lastStep: number,
): Promise<void> {
  await db.q
    .insertInto('totp_credentials')
    .values({
      user_id: userId,
      secret: db.seal.bytes(Buffer.from(secret), sealedAt.totp(userId)),
      enrolled_at: enrolledAt,
      last_step: lastStep,
    })
    .execute()
}

/** Moves the replay guard forward; false when another login already used this step or a later one. */
const advanceStep = prepared((q, [userId, step]: Args<[number, number]>) =>
  q
    .updateTable('totp_credentials')
    .set({ last_step: step })
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('last_step', 'is', null), eb('last_step', '<', step)]))
    .returning('user_id'),
)

export async function advanceTotpStep(db: Store, userId: number, step: number): Promise<boolean> {
  return (await advanceStep(db, userId, step)).length === 1
}

export async function deleteTotp(db: Store, userId: number): Promise<boolean> {
  const r = await db.q.deleteFrom('totp_credentials').where('user_id', '=', userId).executeTakeFirst()
  return Number(r.numDeletedRows) === 1
}

export interface PendingRow {
  secret: Buffer
  started_at: number
  expires_at: number
}

export async function putPendingTotp(
  db: Store,
  userId: number,
  secret: Uint8Array,
  now: number,
  expiresAt: number,
): Promise<void> {
  await db.q
    .insertInto('totp_pending')
    .values({
      user_id: userId,
      secret: db.seal.bytes(Buffer.from(secret), sealedAt.totpPending(userId)),
      started_at: now,
      expires_at: expiresAt,
    })
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet((eb) => ({
        secret: eb.ref('excluded.secret'),
        started_at: eb.ref('excluded.started_at'),
        expires_at: eb.ref('excluded.expires_at'),
      })),
    )
    .execute()
}

export async function getPendingTotp(db: Store, userId: number): Promise<PendingRow | undefined> {
  const row = await db.q
    .selectFrom('totp_pending')
    .select(['secret', 'started_at', 'expires_at'])
    .where('user_id', '=', userId)
    .executeTakeFirst()
  return row && { ...row, secret: db.seal.openBytes(row.secret, sealedAt.totpPending(userId)) }
}

export async function deletePendingTotp(db: Store, userId: number): Promise<boolean> {
  const r = await db.q.deleteFrom('totp_pending').where('user_id', '=', userId).executeTakeFirst()
  return Number(r.numDeletedRows) === 1
}

export interface BackupSlotRow {
  slot: number
  code_hash: string
  created_at: number
  used_at: number | null
  used_machine: string | null
}

export async function backupSlots(db: Store, userId: number): Promise<BackupSlotRow[]> {
  return slotsOf(db, userId)
}

const slotsOf = prepared((q, [userId]: Args<[number]>) =>
  q
    .selectFrom('backup_codes')
    .select(['slot', 'code_hash', 'created_at', 'used_at', 'used_machine'])
    .where('user_id', '=', userId)
    .orderBy('slot'),
)

export async function replaceBackupCodes(
  db: Store,
  userId: number,
  hashes: readonly string[],
  now: number,
): Promise<void> {
  await db.q.deleteFrom('backup_codes').where('user_id', '=', userId).execute()
  if (hashes.length === 0) return
  await db.q
    .insertInto('backup_codes')
    .values(hashes.map((h, i) => ({ user_id: userId, slot: i + 1, code_hash: h, created_at: now })))
    .execute()
}

/** Spends a slot once: the `used_at IS NULL` guard makes a second, racing spend change nothing. */
export async function spendBackupCode(
  db: Store,
  userId: number,
  slot: number,
  now: number,
  machine: string,
): Promise<boolean> {
  const r = await db.q
    .updateTable('backup_codes')
    .set({ used_at: now, used_machine: machine })
    .where('user_id', '=', userId)
    .where('slot', '=', slot)
    .where('used_at', 'is', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export async function deleteBackupCodes(db: Store, userId: number): Promise<void> {
  await db.q.deleteFrom('backup_codes').where('user_id', '=', userId).execute()
}
