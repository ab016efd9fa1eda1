import type { Selectable } from 'kysely'
import type { PasswordResetsTable } from '../schema'
import type { Store } from '../store'

export type PasswordResetRow = Selectable<PasswordResetsTable>

export async function insertPasswordReset(
  db: Store,
  r: {
    userId: number
    codeHash: string
    via: 'email' | 'shown'
    issuedBy: number | null
    now: number
    expiresAt: number
  },
): Promise<number> {
  const row = await db.q
    .insertInto('password_resets')
    .values({
      user_id: r.userId,
      code_hash: r.codeHash,
      via: r.via,
      issued_by: r.issuedBy,
      created_at: r.now,
      expires_at: r.expiresAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** The person's reset code with this hash, whatever its state (the caller says why it does not work). */
export function findPasswordReset(
  db: Store,
  userId: number,
  codeHash: string,
): Promise<PasswordResetRow | undefined> {
  return db.q
    .selectFrom('password_resets')
    .selectAll()
    .where('user_id', '=', userId)
    .where('code_hash', '=', codeHash)
    .executeTakeFirst()
}

/** Spends a code: true only for the one caller that found it unused, unrevoked and unexpired. */
export async function usePasswordReset(db: Store, id: number, now: number): Promise<boolean> {
  const r = await db.q
    .updateTable('password_resets')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/** Every code of the person still usable stops working. Returns how many. */
export async function revokePasswordResets(db: Store, userId: number, now: number): Promise<number> {
  const r = await db.q
    .updateTable('password_resets')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst()
  return Number(r.numUpdatedRows)
}

/** Codes the person asked for themselves ("Forgot password?") since `since`: the hourly limit. */
export async function countSelfResetsSince(db: Store, userId: number, since: number): Promise<number> {
  const row = await db.q
    .selectFrom('password_resets')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('user_id', '=', userId)
    .where('issued_by', 'is', null)
    .where('created_at', '>=', since)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** A new password, and the moment before which every session of the person ends. */
export async function setPassword(
  db: Store,
  userId: number,
  passwordHash: string,
  now: number,
): Promise<void> {
  await db.q
    .updateTable('users')
    .set({ password_hash: passwordHash, password_changed_at: now, updated_at: now })
    .where('id', '=', userId)
    .execute()
}
