import { hash } from '@node-rs/argon2'
import { createHash, randomBytes } from 'node:crypto'
import { ManualClock } from '../../src/main/adapters/clock'
import { AuditLog } from '../../src/main/core/audit'
import { BACKUP_CODE_COUNT, newBackupCode } from '../../src/main/core/backup-codes'
import { PASSWORD_HASH_PARAMS } from '../../src/main/core/passwords'
import type { Db } from '../../src/main/db/connection'
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
 * `file` is the SQLite file the rows go into with plain INSERTs; `store` is the same database as the
 * services see it, through which the audit events are appended.
 */
export async function seedUsers(file: Db, store: Store, o: SeedOptions): Promise<SeedSummary> {
  const db = file
  const rand = prng(20_261_128)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!
  const codes = Array.from({ length: BACKUP_CODE_COUNT }, newBackupCode)
  const hashes = await Promise.all(codes.map((c) => hash(c, PASSWORD_HASH_PARAMS)))
  const passwordHash = await hash(randomBytes(18).toString('base64url'), PASSWORD_HASH_PARAMS)

  const insertUser = db.prepare(
    `INSERT INTO users (email, name, role, status, password_hash, require_2fa, require_2fa_since,
       created_at, updated_at, last_login_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  const insertTotp = db.prepare(
    'INSERT INTO totp_credentials (user_id, secret, enrolled_at, last_step) VALUES (?, ?, ?, ?)',
  )
  const insertCode = db.prepare(
    'INSERT INTO backup_codes (user_id, slot, code_hash, created_at, used_at, used_machine) VALUES (?, ?, ?, ?, ?, ?)',
  )
  const insertPhone = db.prepare(
    'INSERT INTO phones (user_id, e164, verified_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
  )
  const insertRecovery = db.prepare(
    `INSERT INTO recovery_requests (user_id, status, message, contact, created_at, updated_at, expires_at)
     VALUES (?, ?, 'Lost my phone with the authenticator app.', 'Desk, ext. 2210', ?, ?, ?)`,
  )
  const insertThrottle = db.prepare(
    `INSERT INTO login_throttle (user_id, factor, consecutive_failures, last_failure_at, locked_until)
     VALUES (?, 'password', ?, ?, ?)`,
  )
  const insertInvitation = db.prepare(
    'INSERT INTO invitations (user_id, code_hash, created_at, expires_at, created_by) VALUES (?, ?, ?, ?, ?)',
  )

  const s = { enrolled: 0, backupCodesUsed: 0, locked: 0, disabled: 0, invited: 0, recoveryRequests: 0 }
  const events: PendingEvent[] = []
  const { now } = o
  const CHUNK = 10_000
  for (let from = 0; from < o.users; from += CHUNK) {
    db.transaction(() => {
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
        const id = Number(
          insertUser.run(
            `${first}.${last}.${i}@example.com`.toLowerCase(),
            `${first} ${last}`,
            role,
            status,
            status === 'invited' ? null : passwordHash,
            required,
            required ? createdAt : null,
            createdAt,
            createdAt,
            lastLogin,
          ).lastInsertRowid,
        )
        if (status === 'invited') {
          s.invited++
          const sent = now - Math.floor(rand() * 10 * DAY)
          insertInvitation.run(
            id,
            createHash('sha256').update(`seed-${i}-${from}`).digest('hex'),
            sent,
            sent + WEEK,
            o.ownerId,
          )
          continue
        }
        if (status === 'disabled') s.disabled++
        if (rand() < (required ? 0.75 : 0.3)) {
          s.enrolled++
          const enrolledAt = createdAt + Math.floor(rand() * 20 * DAY)
          insertTotp.run(id, randomBytes(20), enrolledAt, null)
          // About 1 in 200 asked support for help: a few still waiting, most finished.
          if (rand() < 0.005) {
            s.recoveryRequests++
            const filed = now - Math.floor(rand() * 60 * DAY)
            const live = rand() < 0.1
            const status = live
              ? pick(['open', 'verifying', 'approved'] as const)
              : pick(['completed', 'completed', 'denied', 'expired'] as const)
            const filedAt = live ? now - Math.floor(rand() * DAY) : filed
            insertRecovery.run(id, status, filedAt, filedAt, filedAt + 3 * DAY)
          }
          // Most enrolled users registered an emergency phone (Spanish mobile numbers, +34 6xx xxx xxx).
          if (rand() < 0.8) {
            const e164 = `+346${String(10_000_000 + Math.floor(rand() * 89_999_999)).slice(0, 8)}`
            insertPhone.run(id, e164, enrolledAt, enrolledAt, enrolledAt)
          }
          // A quarter of enrolled users spent some codes during the last 12 weeks (at risk at 4 or 5).
          const used = rand() < 0.25 ? 1 + Math.floor(rand() * 5) : 0
          for (let slot = 1; slot <= BACKUP_CODE_COUNT; slot++) {
            const usedAt = slot <= used ? now - Math.floor(rand() * 12 * WEEK) : null
            const machine = usedAt === null ? null : pick(MACHINES)
            insertCode.run(id, slot, hashes[slot - 1]!, enrolledAt, usedAt, machine)
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
          insertThrottle.run(id, forever ? 100 : 10, now - 60_000, forever ? null : now + 10 * 60_000)
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
    }).immediate()
    o.onProgress?.(`users ${Math.min(o.users, from + CHUNK)}/${o.users}`)
  }

  // The history goes into the chain oldest first, each event stamped with its own time (none later
  // than `now`); the chain links by sequence, so it verifies like any other.
  const clock = new ManualClock(now)
  const audit = new AuditLog(store, clock)
  events.sort((a, b) => a.at - b.at)
  const EVENT_CHUNK = 50_000
  for (let from = 0; from < events.length; from += EVENT_CHUNK) {
    await store.transaction(async () => {
      for (const e of events.slice(from, from + EVENT_CHUNK)) {
        clock.set(e.at)
        await audit.append({ type: e.type, actorId: e.actorId, subjectId: e.subjectId, data: e.data })
      }
    })
    o.onProgress?.(`audit events ${Math.min(events.length, from + EVENT_CHUNK)}/${events.length}`)
  }
  return { users: o.users, ...s, auditEvents: events.length, sharedBackupCodes: codes }
}
