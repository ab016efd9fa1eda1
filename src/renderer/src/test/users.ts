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
export function seedUsers(backend: Backend, n: number, opts: { locked?: number[] } = {}): void {
  const { db } = backend.services()
  const now = Date.now()
  db.transaction(() => {
    for (let i = 1; i <= n; i++) {
      const id = insertUser(db, {
        email: `user${pad(i)}@example.com`,
        name: `User ${pad(i)}`,
        role: i % 10 === 0 ? 'support' : 'member',
        status: 'active',
        password_hash: null,
        now,
        require_2fa: i % 3 === 0 ? 1 : 0,
      })
      if (i % 4 === 0) {
        insertTotp(db, id, new Uint8Array(20).fill(i), now - 86_400_000, 0)
        replaceBackupCodes(db, id, ['a', 'b', 'c', 'd', 'e'], now)
        putPhone(db, id, `+34600000${String(i).padStart(3, '0')}`, now)
        if (i % 8 === 0) for (let s = 1; s <= 4; s++) spendBackupCode(db, id, s, now, 'desk-7')
      }
      if (opts.locked?.includes(i)) {
        const failures = addFailure(db, { userId: id, factor: 'password' }, now)
        setLock(
          db,
          { userId: id, factor: 'password' },
          { until: now + 3_600_000, permanent: false, failure: failures },
        )
      }
    }
  })()
}

export const idOf = (backend: Backend, email: string): number =>
  findUserByEmail(backend.services().db, email)!.id

export const ownerActor = (backend: Backend): SessionUser => ({
  id: idOf(backend, OWNER.email),
  email: OWNER.email,
  name: OWNER.name,
  role: 'owner',
})
