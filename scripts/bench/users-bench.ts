import { sql } from 'kysely'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ManualClock } from '../../src/main/adapters/clock'
import { createKeytarKeychain } from '../../src/main/adapters/keychain'
import { Backend } from '../../src/main/core/backend'
import { PasswordPolicy } from '../../src/main/core/passwords'
import { createGate, type Gate } from '../../src/main/ipc/gate'
import { createHandlers, sessionLookup } from '../../src/main/ipc/handlers'
import {
  countLockedUsers,
  dashboardCounts,
  backupCodeUsesSince,
  recentEventsAbout,
} from '../../src/main/db/queries/dashboard'
import { listAuditEvents } from '../../src/main/db/queries/audit'
import { backupSlots, getTotp } from '../../src/main/db/queries/two-factor'
import { listUsers, type UserFilter, type UserListQuery } from '../../src/main/db/queries/user-list'
import { findUserById, getInvitation } from '../../src/main/db/queries/users'
import type { Store } from '../../src/main/db/store'
import { getPhone } from '../../src/main/db/queries/phones'
import {
  countLiveRecoveryRequests,
  dueToExpire,
  listRecoveryRequests,
  recoveryRequestsOf,
} from '../../src/main/db/queries/recovery'
import type { ImportBeginDto, ImportCodesDto, ImportProgressDto, UserPageDto } from '../../src/shared/dto'
import type { Result } from '../../src/shared/result'
import { liveRecoveryStatuses, userFilters } from '../../src/shared/schemas'
import { seedUsers } from '../seed/seed-users'
import { benchDatabase, type BenchEngine } from './engine'
import { measure, type Figures } from './measure'

const must = <T>(r: Result<unknown>): T => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`)
  return r.value as T
}

export interface PairedFigures {
  name: string
  gate: Figures
  bare: Figures
}

const NOW = Date.UTC(2026, 10, 28, 9)
const DEEP = 5000
const RUNS = 300
const decode = (cursor: string) => {
  const [key, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string | number, number]
  return { key, id }
}

/**
 * A server that has just taken a bulk load still writes it out (the checkpointer spreads 100,000 users'
 * pages over minutes), and measuring then measures that. A server in use has long written its data:
 * ask for the checkpoint now, where the role may (superuser or pg_checkpoint); otherwise say so.
 */
async function settle(db: Store): Promise<void> {
  try {
    await db.detached(() => sql`CHECKPOINT`.execute(db.root))
  } catch (e) {
    console.log(`(no CHECKPOINT after seeding: ${e instanceof Error ? e.message : String(e)})`)
  }
}

/** A seeded database behind a real Backend, with an owner signed in on one client, as in the console. */
async function seededBackend(users: number, engine: BenchEngine) {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-bench-users-'))
  const team = engine === 'postgres' ? await benchDatabase() : undefined
  const clock = new ManualClock(NOW)
  const backend = new Backend({
    dbPath: join(dir, 'bench.db'),
    keychain: createKeytarKeychain('Tessera-bench'),
    clock,
    passwordPolicy: PasswordPolicy.fromFile(
      join(import.meta.dirname, '../../resources/common-passwords.txt'),
    ),
    client: { via: 'desktop', machine: 'bench' },
    kdf: { memoryCost: 8192, timeCost: 1 },
    ...(team ? { databaseUrl: team.url } : {}),
  })
  await backend.start()
  const gate: Gate = createGate({ handlers: createHandlers(backend), sessions: sessionLookup(backend) })
  const owner = must<{ id: number }>(
    await gate('owner', 'setup.createOwner', {
      email: 'bench.owner@example.com',
      name: 'Bench Owner',
      password: 'amber-falcon-river-stone',
      keyStore: 'passphrase',
      passphrase: 'bench database passphrase',
    }),
  )
  const t0 = performance.now()
  const { db } = backend.services()
  await seedUsers(db, { users: users - 1, now: NOW, ownerId: owner.id })
  const seedSeconds = (performance.now() - t0) / 1000
  if (team) await settle(db)
  return {
    backend,
    gate,
    seedSeconds,
    cleanup: async () => {
      await backend.close()
      await team?.drop()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/**
 * The cursor of the Users page that starts after row 5,000 of a filter (or after the last full page of a
 * shorter list; null when the list fits on one page), read through the gate as the console pages.
 */
export async function deepCursor(
  call: (method: string, input: unknown) => Promise<unknown>,
  filter: UserFilter | undefined,
): Promise<string | null> {
  let cursor: string | null = null
  for (let seen = 0; seen < DEEP; seen += 500) {
    const page = (await call('users.list', {
      filter,
      limit: 500,
      ...(cursor ? { after: cursor } : {}),
    })) as UserPageDto
    if (!page.nextCursor) break
    cursor = page.nextCursor
  }
  return cursor
}

/** Each operation through the gate (as the renderer calls it) and as its bare query functions. */
export async function usersBench(
  users: number,
  engine: BenchEngine = 'sqlite',
): Promise<{ rows: PairedFigures[]; seedSeconds: number }> {
  const { backend, gate, seedSeconds, cleanup } = await seededBackend(users, engine)
  const db = backend.services().db
  const call = async <T>(method: string, input: unknown): Promise<T> =>
    must<T>(await gate('owner', method, input))
  const rows: PairedFigures[] = []
  const pair = async (
    name: string,
    viaGate: () => Promise<unknown>,
    bare: () => Promise<unknown>,
    runs = RUNS,
  ) => {
    rows.push({ name, gate: await measure(name, runs, viaGate), bare: await measure(name, runs, bare) })
  }
  const base: Omit<UserListQuery, 'limit'> = { sort: 'name', now: NOW }
  for (const filter of [undefined, ...userFilters] as (UserFilter | undefined)[]) {
    const label = filter ?? 'all'
    await pair(
      `Users page 1: ${label}`,
      () => call<UserPageDto>('users.list', { filter, limit: 50 }),
      () => listUsers(db, { ...base, filter, limit: 50 }),
    )
    const cursor = await deepCursor(call, filter)
    if (cursor) {
      const after = cursor
      await pair(
        `Users deep page (after ≤${DEEP}): ${label}`,
        () => call<UserPageDto>('users.list', { filter, limit: 50, after }),
        () => listUsers(db, { ...base, filter, limit: 50, after: decode(after) }),
      )
    }
  }
  for (const search of ['mar', 'olga.petrov']) {
    await pair(
      `prefix search "${search}"`,
      () => call<UserPageDto>('users.list', { search, limit: 50 }),
      () => listUsers(db, { ...base, search, limit: 50 }),
    )
  }
  const weekAgo12 = NOW - 12 * 7 * 24 * 60 * 60_000
  await pair(
    'dashboard figures',
    () => call('dashboard.get', {}),
    async () => {
      await dueToExpire(db, NOW)
      await dashboardCounts(db)
      await countLockedUsers(db, NOW)
      await countLiveRecoveryRequests(db)
      await backupCodeUsesSince(db, weekAgo12)
      await listAuditEvents(db, undefined, 10)
    },
    50,
  )
  const enrolled = (
    await db.q
      .selectFrom('users')
      .select('id')
      .where('twofa_state', '=', 'enrolled')
      .where('backup_codes_left', '<', 5)
      .limit(200)
      .execute()
  ).map((r) => r.id)
  await pair(
    'recovery queue (live)',
    () => call('recovery.list', { status: 'live', limit: 50 }),
    async () => {
      await dueToExpire(db, NOW)
      await listRecoveryRequests(db, liveRecoveryStatuses, undefined, 50)
      await countLiveRecoveryRequests(db)
    },
  )
  await pair(
    "a user's page",
    (i = 0) => call('users.get', { userId: enrolled[Math.abs(i) % enrolled.length] }),
    async (i = 0) => {
      const id = enrolled[Math.abs(i) % enrolled.length]!
      await listUsers(db, { ...base, limit: 1, userId: id })
      await findUserById(db, id)
      await getTotp(db, id)
      await backupSlots(db, id)
      await getInvitation(db, id)
      await getPhone(db, id)
      await recoveryRequestsOf(db, id, 10)
      await recentEventsAbout(db, id, 20)
    },
  )
  await cleanup()
  return { rows, seedSeconds }
}

/**
 * 10,000 users from a CSV through the gate: importBegin, then importNext in batches of 500, then the
 * invitation codes fetched and marked saved (as the console's download does).
 */
export async function importBench(engine: BenchEngine = 'sqlite'): Promise<number> {
  const { gate, cleanup } = await seededBackend(1000, engine)
  const csv = `email,name,role,require_2fa\r\n${Array.from(
    { length: 10_000 },
    (_, i) => `imported.${i}@example.com,Imported Person ${i},member,${i % 3 ? 'yes' : ''}`,
  ).join('\r\n')}\r\n`
  const t0 = performance.now()
  const begun = must<ImportBeginDto>(await gate('owner', 'users.importBegin', { csv }))
  if (!begun.importId) throw new Error(JSON.stringify(begun.errors.slice(0, 3)))
  let p: ImportProgressDto
  do p = must<ImportProgressDto>(await gate('owner', 'users.importNext', { importId: begun.importId }))
  while (!p.done)
  const codes = must<ImportCodesDto>(await gate('owner', 'users.importCodes', { importId: begun.importId }))
  must(await gate('owner', 'users.importCodesSaved', { importId: begun.importId, through: codes.through }))
  const seconds = (performance.now() - t0) / 1000
  if (p.imported !== 10_000 || codes.count !== 10_000) throw new Error(`imported ${p.imported}`)
  await cleanup()
  return seconds
}

export function printPaired(title: string, rows: PairedFigures[]): void {
  console.log(`\n${title}`)
  const w = Math.max(...rows.map((r) => r.name.length))
  const f = (n: number): string => n.toFixed(3).padStart(8)
  console.log(
    `${'operation'.padEnd(w)}  ${'gate med'.padStart(8)}  ${'gate p95'.padStart(8)}  ${'sql med'.padStart(8)}  ${'sql p95'.padStart(8)}  ${'med x'.padStart(6)}  ${'p95 x'.padStart(6)}  target`,
  )
  for (const r of rows) {
    const ratio = r.gate.p95Ms / r.bare.p95Ms
    const medianRatio = r.gate.medianMs / r.bare.medianMs
    const okTime = r.gate.p95Ms < 10
    // p95 of sub-millisecond calls is mostly GC and scheduler noise; the median ratio is the gate's cost.
    const okRatio = medianRatio <= 2
    console.log(
      `${r.name.padEnd(w)}  ${f(r.gate.medianMs)}  ${f(r.gate.p95Ms)}  ${f(r.bare.medianMs)}  ${f(r.bare.p95Ms)}  ${medianRatio.toFixed(2).padStart(6)}  ${ratio.toFixed(2).padStart(6)}  ${okTime && okRatio ? 'ok' : `MISS${okTime ? '' : ' >10ms'}${okRatio ? '' : ' >2x'}`}`,
    )
  }
}
