// npm run bench:compare -- --against DIR: the admin console's gate calls of this checkout and of another
// one (DIR, with its own node_modules), in one process, interleaved round by round on databases seeded
// alike. Separate `npm run bench` runs of the same commit differ by up to 1.7x on a small shared machine
// (a whole process runs faster or slower); interleaving in one process takes that out of the ratio.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { userFilters } from '../../src/shared/schemas'
import { quantile } from './measure'
import { deepCursor } from './users-bench'

const NOW = Date.UTC(2026, 10, 28, 9)
const PER_ROUND = 40

interface Gate {
  (client: string, method: string, input: unknown): Promise<{ ok: boolean; value?: unknown; error?: unknown }>
}
interface BackendLike {
  start(): Promise<void>
  services(): { db: unknown }
  close(): unknown
}
/** What each checkout must export for the comparison: the same names this one has. */
interface Codebase {
  Backend: new (options: Record<string, unknown>) => BackendLike
  ManualClock: new (now: number) => unknown
  createKeytarKeychain: (service: string) => unknown
  PasswordPolicy: { fromFile: (path: string) => unknown }
  createGate: (deps: { handlers: unknown; sessions: unknown }) => Gate
  createHandlers: (backend: BackendLike) => unknown
  sessionLookup: (backend: BackendLike) => unknown
  seedUsers: (db: unknown, o: { users: number; now: number; ownerId: number }) => Promise<unknown>
}

async function load(root: string): Promise<Codebase> {
  const from = async (path: string) => (await import(join(root, path))) as Record<string, unknown>
  return {
    ...(await from('src/main/adapters/clock.ts')),
    ...(await from('src/main/adapters/keychain.ts')),
    ...(await from('src/main/core/backend.ts')),
    ...(await from('src/main/core/passwords.ts')),
    ...(await from('src/main/ipc/gate.ts')),
    ...(await from('src/main/ipc/handlers.ts')),
    ...(await from('scripts/seed/seed-users.ts')),
  } as unknown as Codebase
}

interface Side {
  call: (method: string, input: unknown) => Promise<unknown>
  userIds: number[]
  cleanup: () => Promise<void>
}

async function seeded(code: Codebase, users: number): Promise<Side> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-compare-'))
  const backend = new code.Backend({
    dbPath: join(dir, 'bench.db'),
    keychain: code.createKeytarKeychain('Tessera-bench'),
    clock: new code.ManualClock(NOW),
    passwordPolicy: code.PasswordPolicy.fromFile(
      join(import.meta.dirname, '../../resources/common-passwords.txt'),
    ),
    client: { via: 'desktop', machine: 'bench' },
    kdf: { memoryCost: 8192, timeCost: 1 },
  })
  await backend.start()
  const gate = code.createGate({
    handlers: code.createHandlers(backend),
    sessions: code.sessionLookup(backend),
  })
  const call = async (method: string, input: unknown): Promise<unknown> => {
    const r = await gate('owner', method, input)
    if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`)
    return r.value
  }
  const owner = (await call('setup.createOwner', {
    email: 'bench.owner@example.com',
    name: 'Bench Owner',
    password: 'amber-falcon-river-stone',
    keyStore: 'passphrase',
    passphrase: 'bench database passphrase',
  })) as { id: number }
  await code.seedUsers(backend.services().db, { users: users - 1, now: NOW, ownerId: owner.id })
  const page = (await call('users.list', { filter: 'enrolled', limit: 200 })) as { users: { id: number }[] }
  return {
    call,
    userIds: page.users.map((u) => u.id),
    cleanup: async () => {
      await backend.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

type Operation = (i: number) => Promise<unknown>
interface Row {
  name: string
  /** The operation on one side; undefined when the row does not apply at this size (no deep page). */
  prepare: (side: Side) => Promise<Operation | undefined>
}

const rows: Row[] = []
for (const filter of [undefined, ...userFilters]) {
  const label = filter ?? 'all'
  rows.push({
    name: `Users page 1: ${label}`,
    prepare: async (s) => () => s.call('users.list', { filter, limit: 50 }),
  })
  rows.push({
    name: `Users deep page (after ≤5000): ${label}`,
    prepare: async (s) => {
      const after = await deepCursor(s.call, filter)
      return after ? () => s.call('users.list', { filter, limit: 50, after }) : undefined
    },
  })
}
for (const search of ['mar', 'olga.petrov'])
  rows.push({
    name: `prefix search "${search}"`,
    prepare: async (s) => () => s.call('users.list', { search, limit: 50 }),
  })
rows.push({ name: 'dashboard figures', prepare: async (s) => () => s.call('dashboard.get', {}) })
rows.push({
  name: 'recovery queue (live)',
  prepare: async (s) => () => s.call('recovery.list', { status: 'live', limit: 50 }),
})
rows.push({
  name: "a user's page",
  prepare: async (s) => (i) => s.call('users.get', { userId: s.userIds[i % s.userIds.length] }),
})

async function sample(op: Operation, into: number[]): Promise<void> {
  for (let w = 0; w < 3; w++) await op(w)
  for (let i = 0; i < PER_ROUND; i++) {
    const t0 = performance.now()
    await op(i)
    into.push(performance.now() - t0)
  }
}

const { values } = parseArgs({
  options: {
    against: { type: 'string' },
    sizes: { type: 'string', default: '1000,10000,100000' },
    rounds: { type: 'string', default: '8' },
  },
})
if (!values.against) throw new Error('--against DIR: another checkout of Tessera, with its node_modules')
const rounds = Number(values.rounds)
const other = await load(resolve(values.against))
const here = await load(resolve(import.meta.dirname, '../..'))

for (const size of values.sizes.split(',').map(Number)) {
  const base = await seeded(other, size)
  const mine = await seeded(here, size)
  console.log(
    `\nGate calls at ${size.toLocaleString('en')} users, ${rounds} rounds x ${PER_ROUND} runs each, interleaved; ms; x = this checkout / ${values.against}`,
  )
  const w = Math.max(...rows.map((r) => r.name.length))
  console.log(
    `${'operation'.padEnd(w)}  ${'base med'.padStart(8)}  ${'this med'.padStart(8)}  ${'x med'.padStart(5)}  ${'base p95'.padStart(8)}  ${'this p95'.padStart(8)}  ${'x p95'.padStart(5)}`,
  )
  let logSum = 0
  let over = 0
  let measured = 0
  for (const row of rows) {
    const [opBase, opMine] = [await row.prepare(base), await row.prepare(mine)]
    if (!opBase || !opMine) continue
    measured++
    const tBase: number[] = []
    const tMine: number[] = []
    for (let r = 0; r < rounds; r++) {
      // Alternate who goes first, so neither always runs right after the other's garbage.
      if (r % 2) {
        await sample(opBase, tBase)
        await sample(opMine, tMine)
      } else {
        await sample(opMine, tMine)
        await sample(opBase, tBase)
      }
    }
    tBase.sort((a, b) => a - b)
    tMine.sort((a, b) => a - b)
    const med = quantile(tMine, 0.5) / quantile(tBase, 0.5)
    const p95 = quantile(tMine, 0.95) / quantile(tBase, 0.95)
    logSum += Math.log(med)
    if (med > 1.2) over++
    const f = (n: number) => n.toFixed(3).padStart(8)
    console.log(
      `${row.name.padEnd(w)}  ${f(quantile(tBase, 0.5))}  ${f(quantile(tMine, 0.5))}  ${med.toFixed(2).padStart(5)}  ${f(quantile(tBase, 0.95))}  ${f(quantile(tMine, 0.95))}  ${p95.toFixed(2).padStart(5)}${med > 1.2 ? '  > 1.2x' : ''}`,
    )
  }
  console.log(
    `geometric mean of the median ratios ${Math.exp(logSum / measured).toFixed(3)}; medians over 1.2x: ${over} of ${measured}`,
  )
  await base.cleanup()
  await mine.cleanup()
}
