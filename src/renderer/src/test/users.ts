import type { Backend } from '../../../main/core/backend'
import { putPhone } from '../../../main/db/queries/phones'
import { addFailure, setLock } from '../../../main/db/queries/throttle'
import { insertTotp, replaceBackupCodes, spendBackupCode } from '../../../main/db/queries/two-factor'
import { findUserByEmail, insertUser } from '../../../main/db/queries/users'
import type { SessionUser } from '../../../shared/dto'
import { OWNER } from './harness'

export const pad = (i: number): string => String(i).padStart(3, '0')

/**
 * `n` users straight into the database, as the seed script would: user001@example.com … named
 * "User 001" …; every 4th enrolled with a verified emergency phone (every 8th of those with one backup
 * code left, so at risk), every 3rd required, every 10th a support agent, and `locked` of them locked for
 * an hour.
 */
export async function seedUsers(
  backend: Backend,
  n: number,
  opts: { locked?: number[] } = {},
): Promise<void> {
  const { db } = backend.services()
  const now = Date.now()
  await db.transaction(async () => {
    for (let i = 1; i <= n; i++) {
      const id = await insertUser(db, {
        email: `user${pad(i)}@example.com`,
        name: `User ${pad(i)}`,
        role: i % 10 === 0 ? 'support' : 'member',
        status: 'active',
        password_hash: null,
        now,
        require_2fa: i % 3 === 0 ? 1 : 0,
      })
      if (i % 4 === 0) {
        await insertTotp(db, id, new Uint8Array(20).fill(i), now - 86_400_000, 0)
        await replaceBackupCodes(db, id, ['a', 'b', 'c', 'd', 'e'], now)
        await putPhone(db, id, `+34600000${String(i).padStart(3, '0')}`, now)
        if (i % 8 === 0) for (let s = 1; s <= 4; s++) await spendBackupCode(db, id, s, now, 'desk-7')
      }
      if (opts.locked?.includes(i)) {
        const failures = await addFailure(db, { userId: id, factor: 'password' }, now)
        await setLock(
          db,
          { userId: id, factor: 'password' },
          { until: now + 3_600_000, permanent: false, failure: failures },
        )
      }
    }
  })
}

export const idOf = async (backend: Backend, email: string): Promise<number> =>
  (await findUserByEmail(backend.services().db, email))!.id

export const ownerActor = async (backend: Backend): Promise<SessionUser> => ({
  id: await idOf(backend, OWNER.email),
  email: OWNER.email,
  name: OWNER.name,
  role: 'owner',
})
