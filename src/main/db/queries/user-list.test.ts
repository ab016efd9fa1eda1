import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, dropTestDatabase, onPostgres } from '../../../../test/fixtures/engine'
import { testKeychain } from '../../../../test/fixtures/keychain'
import { sqlRun, sqlValue } from '../../../../test/fixtures/sql'
import { tempDir } from '../../../../test/fixtures/temp'
import { userFilters } from '../../../shared/schemas'
import { createDatabase } from '../open'
import { createTeamDatabase } from '../postgres/open'
import type { Store } from '../store'
import { countAtRiskNotStored } from './dashboard'
import {
  explainListUsers,
  listUsers,
  sortKeyOf,
  type UserFilter,
  type UserListQuery,
  type UserSort,
} from './user-list'

const NOW = 1_800_000_000_000
const N = 5000
const filters: (UserFilter | undefined)[] = [undefined, ...userFilters]
const sorts: UserSort[] = ['name', 'email', 'last-login']

describe('the Users page query', () => {
  const t = tempDir()
  let db: Store
  let teamUrl: string | undefined
  beforeAll(async () => {
    if (onPostgres) {
      teamUrl = await createTestDatabase()
      ;({ db } = await createTeamDatabase(teamUrl, {
        passphrase: 'users page test passphrase',
        keychain: testKeychain(),
        kdf: { memoryCost: 19456, timeCost: 2 },
      }))
    } else {
      ;({ db } = await createDatabase(join(t.dir, 'users.db'), {
        keyStore: 'passphrase',
        passphrase: 'users page test passphrase',
        keychain: testKeychain(),
        kdf: { memoryCost: 8192, timeCost: 1 },
      }))
    }
    const roles = ['member', 'member', 'member', 'support', 'admin'] as const
    await db.transaction(async () => {
      for (let i = 1; i <= N; i++) {
        const status = i % 50 === 0 ? 'disabled' : i % 37 === 0 ? 'invited' : 'active'
        await sqlRun(
          db,
          `INSERT INTO users (email, name, role, status, require_2fa, created_at, updated_at, last_login_at)
           VALUES (?, ?, ?, ?, ?, 0, 0, ?)`,
          `user${String(i).padStart(5, '0')}@example.com`,
          `Name ${(i * 7919) % N}`,
          roles[i % 5],
          status,
          i % 3 === 0 ? 1 : 0,
          i % 4 === 0 ? null : NOW - i * 1000,
        )
        if (i % 2 === 0) {
          await sqlRun(
            db,
            'INSERT INTO totp_credentials (user_id, secret, enrolled_at) VALUES (?, ?, 1)',
            i,
            Buffer.alloc(20),
          )
          for (let s = 1; s <= 5; s++) {
            await sqlRun(
              db,
              "INSERT INTO backup_codes (user_id, slot, code_hash, created_at, used_at) VALUES (?, ?, 'h', 0, ?)",
              i,
              s,
              i % 10 === 0 && s <= 4 ? 5 : null,
            )
          }
          if (i % 4 === 0) await addPhone(i)
        }
        if (i % 97 === 0) await lock(i, 10, NOW + 60_000)
        if (i === 500) await lock(i, 100, null)
      }
    })
    await sqlRun(db, 'ANALYZE')
  })
  afterAll(async () => {
    await db.close()
    if (teamUrl) await dropTestDatabase(teamUrl)
    t.cleanup()
  })

  const addPhone = (userId: number) =>
    sqlRun(
      db,
      "INSERT INTO phones (user_id, e164, verified_at, created_at, updated_at) VALUES (?, '+34612345123', 0, 0, 0)",
      userId,
    )
  const lock = (userId: number, failures: number, until: number | null) =>
    sqlRun(
      db,
      "INSERT INTO login_throttle (user_id, factor, consecutive_failures, locked_until) VALUES (?, 'password', ?, ?)",
      userId,
      failures,
      until,
    )

  // The plans are SQLite's (EXPLAIN QUERY PLAN); the paging tests below run on both engines.
  it.skipIf(onPostgres)(
    'walks an index for every filter and sort, with no sort step and no OFFSET',
    async () => {
      for (const filter of filters) {
        for (const sort of sorts) {
          const plan = (
            await explainListUsers(db, {
              filter,
              sort,
              limit: 50,
              now: NOW,
              after: { key: sort === 'last-login' ? NOW : 'm', id: 10 },
            })
          ).join('\n')
          // The locked filter starts from the few locked rows (login_throttle) and looks users up by id.
          const expected =
            filter === 'locked' ? /login_throttle_locked|PRIMARY KEY/ : /USING (COVERING )?INDEX/
          expect(plan, `${filter ?? 'all'} by ${sort}`).toMatch(expected)
          expect(plan, `${filter ?? 'all'} by ${sort}`).not.toMatch(/^SCAN u$/m)
          // A deep page starts at the previous page's last key: an index range, not a walk from the top.
          if (filter !== 'locked') expect(plan, `${filter ?? 'all'} by ${sort}`).toMatch(/^SEARCH u USING/m)
          // At risk merges the first pages of its ways (so it sorts at most a few pages of rows): the stored
          // risk on its partial index and overdue 2FA on the state index, both in the sort order; owners
          // and admins by role, and the locked users, few, read whole.
          if (filter === 'at-risk') {
            const suffix = { name: 'name', email: 'email', 'last-login': 'last_login' }[sort]
            // The stored risk: its partial index, or (when the statistics say risk is common, as for a
            // quarter of this test's users) the sort key's own index, filtered as it goes; either in order.
            const sortIndex = {
              name: 'users_by_name|users_name_cover',
              email: 'sqlite_autoindex_users_1|users_email_cover',
              'last-login': 'users_by_last_login',
            }[sort]
            expect(plan).toMatch(
              new RegExp(`SEARCH u USING (COVERING )?INDEX (users_risk_by_${suffix}|${sortIndex}) \\(`),
            )
            expect(plan).toMatch(
              new RegExp(`SEARCH u USING INDEX users_state_by_${suffix} \\(twofa_state=\\?`),
            )
            expect(plan).toMatch(/SEARCH u USING INDEX users_role_by_\w+ \(role=\?/)
          } else if (filter !== 'locked')
            expect(plan, `${filter ?? 'all'} by ${sort}`).not.toMatch(/TEMP B-TREE FOR ORDER BY/)
        }
      }
    },
  )

  it.skipIf(onPostgres)('searches by email or name prefix through the indexes', async () => {
    for (const sort of sorts) {
      const plan = (await explainListUsers(db, { search: 'user001', sort, limit: 50, now: NOW })).join('\n')
      expect(plan, sort).toMatch(/SEARCH u USING (COVERING )?INDEX \w+ \(email>\? AND email<\?\)/)
      expect(plan, sort).toMatch(/SEARCH u USING (COVERING )?INDEX \w+ \(name>\? AND name<\?\)/)
      expect(plan, sort).not.toMatch(/SCAN u\b/)
    }
    const rows = await listUsers(db, { search: 'USER001', sort: 'email', limit: 50, now: NOW })
    expect(rows.map((r) => r.email)).toEqual(
      Array.from({ length: 10 }, (_, k) => `user0010${k}@example.com`).concat(
        Array.from({ length: 40 }, (_, k) => `user001${String(10 + k).padStart(2, '0')}@example.com`),
      ),
    )
    expect(
      (await listUsers(db, { search: 'Name 12', sort: 'name', limit: 500, now: NOW })).every((r) =>
        r.name.startsWith('Name 12'),
      ),
    ).toBe(true)
  })

  it('pages through every match exactly once, in order, for each filter and sort', async () => {
    for (const filter of filters) {
      for (const sort of sorts) {
        // The ~50 locked users take several pages too: a page of them is chosen before it is read.
        const q: UserListQuery = { filter, sort, limit: filter === 'locked' ? 7 : 400, now: NOW }
        const seen: number[] = []
        let after: UserListQuery['after']
        for (;;) {
          const page = await listUsers(db, { ...q, after })
          seen.push(...page.map((r) => r.id))
          if (page.length < q.limit) break
          const last = page.at(-1)!
          after = { key: sortKeyOf(last, sort), id: last.id }
        }
        const all = (await listUsers(db, { ...q, limit: N + 1 })).map((r) => r.id)
        expect(seen, `${filter ?? 'all'} by ${sort}`).toEqual(all)
        expect(new Set(seen).size).toBe(seen.length)
      }
    }
  })

  it('pages through search results exactly once, in order, with filters', async () => {
    for (const search of ['user0', 'Name 1']) {
      for (const filter of [undefined, 'enrolled', 'at-risk'] as const) {
        for (const sort of sorts) {
          const q: UserListQuery = { search, filter, sort, limit: 70, now: NOW }
          const seen: number[] = []
          let after: UserListQuery['after']
          for (;;) {
            const page = await listUsers(db, { ...q, after })
            seen.push(...page.map((r) => r.id))
            if (page.length < q.limit) break
            const last = page.at(-1)!
            after = { key: sortKeyOf(last, sort), id: last.id }
          }
          const all = await listUsers(db, { ...q, limit: N + 1 })
          expect(all.length, `${search} ${filter} ${sort}`).toBeGreaterThan(70)
          expect(seen, `${search} ${filter ?? 'all'} by ${sort}`).toEqual(all.map((r) => r.id))
        }
      }
    }
  })

  it('reports what each row needs: 2FA state, backup codes left and lock state', async () => {
    const at = async (id: number) =>
      (
        await listUsers(db, {
          search: `user${String(id).padStart(5, '0')}@`,
          sort: 'email',
          limit: 1,
          now: NOW,
        })
      )[0]!
    expect(await at(10)).toMatchObject({ twofa_state: 'enrolled', backup_codes_left: 1 })
    expect(await at(3)).toMatchObject({ twofa_state: 'required', backup_codes_left: 0 })
    expect(await at(97)).toMatchObject({ locked_until: NOW + 60_000, locked_forever: 0 })
    expect(await at(500)).toMatchObject({ locked_forever: 1 })
    // At risk: enrolled with 0–1 backup codes left or no verified phone (stored); an admin without 2FA;
    // 2FA required (since an unknown time: overdue) and not set up, unless still invited; locked.
    const atRisk = (await listUsers(db, { filter: 'at-risk', sort: 'email', limit: N, now: NOW })).map(
      (r) => r.id,
    )
    const stored = Array.from({ length: N }, (_, k) => k + 1).filter(
      (i) => i % 2 === 0 && (i % 10 === 0 || i % 4 !== 0),
    )
    const invited = (i: number) => i % 50 !== 0 && i % 37 === 0
    const expected = Array.from({ length: N }, (_, k) => k + 1).filter(
      (i) =>
        stored.includes(i) ||
        (i % 2 === 1 && i % 5 === 4) ||
        (i % 2 === 1 && i % 3 === 0 && !invited(i)) ||
        i % 97 === 0 ||
        i === 500,
    )
    expect(atRisk.sort((a, b) => a - b)).toEqual(expected)
    expect(await countAtRiskNotStored(db, NOW, NOW)).toBe(expected.length - stored.length)
    expect(await sqlValue(db, 'SELECT at_risk FROM user_stats')).toBe(stored.length)
    // Verifying or removing a phone moves the user in or out at once.
    await sqlRun(db, 'DELETE FROM phones WHERE user_id = 4')
    expect(await sqlValue(db, 'SELECT at_risk FROM users WHERE id = 4')).toBe(1)
    expect(await sqlValue(db, 'SELECT at_risk FROM user_stats')).toBe(stored.length + 1)
    await addPhone(4)
    expect(await sqlValue(db, 'SELECT at_risk FROM user_stats')).toBe(stored.length)
    expect(
      (await listUsers(db, { filter: 'locked', sort: 'email', limit: N, now: NOW })).map((r) => r.id),
    ).toContain(500)
  })
})
