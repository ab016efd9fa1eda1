import { hash } from '@node-rs/argon2'
import { createHash, randomBytes } from 'node:crypto'
import { ManualClock } from '../../src/main/adapters/clock'
import { AuditLog } from '../../src/main/core/audit'
import { BACKUP_CODE_COUNT, newBackupCode } from '../../src/main/core/backup-codes'
import { PASSWORD_HASH_PARAMS } from '../../src/main/core/passwords'
import { sql } from 'kysely'
import type { Schema } from '../../src/main/db/schema'
import { sealedAt } from '../../src/main/db/sealed'
import type { Store } from '../../src/main/db/store'

const DAY = 24 * 60 * 60_000
const WEEK = 7 * DAY
const FIRST =
  'Ada Alan Amara Ben Carla Chen Dana Diego Elif Emma Farah Felix Grace Hana Ivan Jonas Julia Kai Lena Liam Maria Mark Mateo Mia Nadia Noah Olga Omar Priya Quinn Rosa Sam Sara Tariq Uma Vera Wei Xena Yusuf Zoe'.split(
    ' ',
  )
const LAST =
  'Abbott Bauer Castro Dubois Eriksen Fischer Garcia Haddad Ito Jensen Kowalski Lopez Moreau Nakamura Okafor Petrov Quintero Rossi Schmidt Tanaka Umar Varga Weber Xu Yilmaz Zimmermann'.split(
    ' ',
  )
const MACHINES = ['front-desk-pc', 'office-mac', 'laptop-ana', 'ops-linux', 'reception-2']

/** A fixed-seed PRNG (mulberry32): the same mix on every run, so bench figures compare. */
function prng(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface SeedOptions {
  users: number
  /** The seeded history ends here. */
  now: number
  /** The owner's id: actor of the creation events. */
  ownerId: number
  onProgress?: (message: string) => void
}

export interface SeedSummary {
  users: number
  enrolled: number
  backupCodesUsed: number
  locked: number
  disabled: number
  invited: number
  recoveryRequests: number
  auditEvents: number
  /** The one backup-code set every enrolled seeded user shares (see below). */
  sharedBackupCodes: string[]
}

interface PendingEvent {
  at: number
  type: string
  actorId: number | null
  subjectId: number | null
  data: Record<string, unknown>
}

/**
 * Fills an open database with a realistic mix of users: enrolled (TOTP + 5 backup codes), required but
 * not enrolled, not required, some backup codes used over the last 12 weeks (with their audit events),
 * locked, disabled and invited users, and login history. Rows go in with plain INSERTs in large
 * transactions (the triggers of migration 0003 keep the summary columns right); audit events go
 * through AuditLog, in time order, so the hash chain verifies.
 *
 * For speed, one real backup-code set is hashed with Argon2id once and its five hashes are reused by
 * every enrolled user: each hash is a real, verifiable Argon2id hash, but all users share the codes.
 */
/**
 * Seeds through the store, on either engine: rows go in with multi-row INSERTs, a chunk of users per
 * transaction, with explicit ids; secrets and numbers are sealed as the query functions would seal them.
 */
export async function seedUsers(store: Store, o: SeedOptions): Promise<SeedSummary> {
  const rand = prng(20_261_128)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!
  const codes = Array.from({ length: BACKUP_CODE_COUNT }, newBackupCode)
  const hashes = await Promise.all(codes.map((c) => hash(c, PASSWORD_HASH_PARAMS)))
  const passwordHash = await hash(randomBytes(18).toString('base64url'), PASSWORD_HASH_PARAMS)
  const seal = store.seal
  const maxId = await store.q
    .selectFrom('users')
    .select((eb) => eb.fn.max('id').as('m'))
    .executeTakeFirst()
  let nextId = Number(maxId?.m ?? 0) + 1

  type Rows = { [T in keyof Schema]?: Record<string, unknown>[] }
  let rows: Rows = {}
  const add = (table: keyof Schema, row: Record<string, unknown>) => (rows[table] ??= []).push(row)
  const flush = async () => {
    for (const table of [
      'users',
      'invitations',
      'totp_credentials',
      'recovery_requests',
      'phones',
      'backup_codes',
      'login_throttle',
    ] as const) {
      const all = rows[table] ?? []
      for (let i = 0; i < all.length; i += 1000) {
        await store.q
          .insertInto(table)
          .values(all.slice(i, i + 1000) as never)
          .execute()
      }
    }
    rows = {}
  }
  const s = { enrolled: 0, backupCodesUsed: 0, locked: 0, disabled: 0, invited: 0, recoveryRequests: 0 }
  const events: PendingEvent[] = []
  const { now } = o
  const CHUNK = 10_000
  for (let from = 0; from < o.users; from += CHUNK) {
    await store.transaction(async () => {
      for (let i = from; i < Math.min(o.users, from + CHUNK); i++) {
        const first = pick(FIRST)
        const last = pick(LAST)
        const r = rand()
        const role = r < 0.01 ? 'admin' : r < 0.04 ? 'support' : 'member'
        const s1 = rand()
        const status = s1 < 0.02 ? 'disabled' : s1 < 0.07 ? 'invited' : 'active'
        const createdAt = now - Math.floor((30 + rand() * 700) * DAY)
        const required = rand() < 0.7 ? 1 : 0
        const lastLogin = status === 'active' && rand() < 0.85 ? now - Math.floor(rand() * 90 * DAY) : null
        const id = nextId++
        add('users', {
          id,
          email: `${first}.${last}.${i}@example.com`.toLowerCase(),
          name: `${first} ${last}`,
          role,
          status,
          password_hash: status === 'invited' ? null : passwordHash,
          require_2fa: required,
          require_2fa_since: required ? createdAt : null,
          created_at: createdAt,
          updated_at: createdAt,
          last_login_at: lastLogin,
        })
        if (status === 'invited') {
          s.invited++
          const sent = now - Math.floor(rand() * 10 * DAY)
          add('invitations', {
            user_id: id,
            code_hash: createHash('sha256').update(`seed-${i}-${from}`).digest('hex'),
            created_at: sent,
            expires_at: sent + WEEK,
            created_by: o.ownerId,
          })
          continue
        }
        if (status === 'disabled') s.disabled++
        if (rand() < (required ? 0.75 : 0.3)) {
          s.enrolled++
          const enrolledAt = createdAt + Math.floor(rand() * 20 * DAY)
          add('totp_credentials', {
            user_id: id,
            secret: seal.bytes(randomBytes(20), sealedAt.totp(id)),
            enrolled_at: enrolledAt,
            last_step: null,
          })
          // About 1 in 200 asked support for help: a few still waiting, most finished.
          if (rand() < 0.005) {
            s.recoveryRequests++
            const filed = now - Math.floor(rand() * 60 * DAY)
            const live = rand() < 0.1
            const status = live
              ? pick(['open', 'verifying', 'approved'] as const)
              : pick(['completed', 'completed', 'denied', 'expired'] as const)
            const filedAt = live ? now - Math.floor(rand() * DAY) : filed
            add('recovery_requests', {
              user_id: id,
              status,
              message: seal.text(
                'Lost my phone with the authenticator app.',
                sealedAt.recovery(id, 'message'),
              ),
              contact: seal.text('Desk, ext. 2210', sealedAt.recovery(id, 'contact')),
              created_at: filedAt,
              updated_at: filedAt,
              expires_at: filedAt + 3 * DAY,
            })
          }
          // Most enrolled users registered an emergency phone (Spanish mobile numbers, +34 6xx xxx xxx).
          if (rand() < 0.8) {
            const e164 = `+346${String(10_000_000 + Math.floor(rand() * 89_999_999)).slice(0, 8)}`
            add('phones', {
              user_id: id,
              e164: seal.text(e164, sealedAt.phone(id)),
              verified_at: enrolledAt,
              created_at: enrolledAt,
              updated_at: enrolledAt,
            })
          }
          // A quarter of enrolled users spent some codes during the last 12 weeks (at risk at 4 or 5).
          const used = rand() < 0.25 ? 1 + Math.floor(rand() * 5) : 0
          for (let slot = 1; slot <= BACKUP_CODE_COUNT; slot++) {
            const usedAt = slot <= used ? now - Math.floor(rand() * 12 * WEEK) : null
            const machine = usedAt === null ? null : pick(MACHINES)
            add('backup_codes', {
              user_id: id,
              slot,
              code_hash: hashes[slot - 1]!,
              created_at: enrolledAt,
              used_at: usedAt,
              used_machine: machine,
            })
            if (usedAt !== null) {
              s.backupCodesUsed++
              events.push({
                at: usedAt,
                type: '2fa.backup_code_used',
                actorId: id,
                subjectId: id,
                data: {
                  via: 'desktop',
                  machine,
                  purpose: 'login',
                  slot,
                  remaining: BACKUP_CODE_COUNT - slot,
                },
              })
            }
          }
        }
        if (status === 'active' && rand() < 0.01) {
          s.locked++
          const forever = rand() < 0.1
          add('login_throttle', {
            user_id: id,
            factor: 'password',
            consecutive_failures: forever ? 100 : 10,
            last_failure_at: now - 60_000,
            locked_until: forever ? null : now + 10 * 60_000,
          })
        }
        if (lastLogin !== null) {
          const logins = 1 + Math.floor(rand() * 2)
          for (let k = 0; k < logins; k++) {
            events.push({
              at: k === 0 ? lastLogin : lastLogin - Math.floor(rand() * 30 * DAY),
              type: 'login.succeeded',
              actorId: id,
              subjectId: id,
              data: { via: 'desktop', machine: pick(MACHINES), method: 'password' },
            })
          }
        }
      }
      await flush()
    })
    o.onProgress?.(`users ${Math.min(o.users, from + CHUNK)}/${o.users}`)
  }

  // The history goes into the chain oldest first, each event stamped with its own time (none later
  // than `now`); the chain links by sequence, so it verifies like any other.
  const clock = new ManualClock(now)
  const audit = new AuditLog(store, clock)
  events.sort((a, b) => a.at - b.at)
  const EVENT_CHUNK = 50_000
  for (let from = 0; from < events.length; from += EVENT_CHUNK) {
    await audit.appendHistory(events.slice(from, from + EVENT_CHUNK))
    o.onProgress?.(`audit events ${Math.min(events.length, from + EVENT_CHUNK)}/${events.length}`)
  }
  if (store.engine.name === 'postgres') {
    // The explicit ids above leave the identity behind: new users continue after them.
    await sql`SELECT setval(pg_get_serial_sequence('users', 'id'), ${nextId}, false)`.execute(store.q)
    await sql`SELECT setval(pg_get_serial_sequence('recovery_requests', 'id'), coalesce((SELECT max(id) FROM recovery_requests), 0) + 1, false)`.execute(
      store.q,
    )
    // A bulk load leaves the planner without statistics (and index-only scans without the visibility
    // map) until autovacuum comes by, as it would within a minute on a server in use: do its work now.
    await store.detached(() => sql`VACUUM ANALYZE`.execute(store.root))
  }
  return { users: o.users, ...s, auditEvents: events.length, sharedBackupCodes: codes }
}
