/**
 * A console on a keychain-protected database, in a process of its own: keytar talks to the D-Bus session
 * of the process that loads it, so the keychain test runs this on a private bus whose keyring it can stop
 * and start. It reads one JSON command a line on stdin and answers one JSON line on stdout.
 *
 * `create`: a new database with its owner signed in on window-1 (the first-run screen's path); `open`:
 * the existing one, as after a restart (nothing read from the keychain yet but the database key).
 * Bundled by the test (`bundleScript`) so it starts in a fraction of a second.
 */
import { hostname } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { ManualClock } from '../../src/main/adapters/clock'
import { createKeytarKeychain } from '../../src/main/adapters/keychain'
import { Backend } from '../../src/main/core/backend'
import { PasswordPolicy } from '../../src/main/core/passwords'
import { getSetting } from '../../src/main/db/queries/settings'
import { createGate, type Gate } from '../../src/main/ipc/gate'
import { createHandlers, sessionLookup } from '../../src/main/ipc/handlers'

export type ConsoleCommand =
  | { do: 'call'; method: string; input?: unknown }
  | { do: 'sendTest'; to: string }
  | { do: 'deliver' }
  | { do: 'outbox' }
  | { do: 'advance'; ms: number }
  | { do: 'setting'; key: string }

const [dir, mode, service, commonPasswords, owner] = process.argv.slice(2)
if (!dir || (mode !== 'create' && mode !== 'open') || !service || !commonPasswords || !owner)
  throw new Error('usage: keychain-console DIR create|open SERVICE COMMON_PASSWORDS OWNER_JSON')

const clock = new ManualClock(Date.UTC(2026, 10, 28, 9, 0, 0))
const backend = new Backend({
  dbPath: join(dir, 'tessera.db'),
  keychain: createKeytarKeychain(service),
  clock,
  passwordPolicy: PasswordPolicy.fromFile(commonPasswords),
  client: { via: 'desktop', machine: hostname() },
  smsWorkerIntervalMs: 0,
  twilioTimeoutMs: 3000,
})

async function run(gate: Gate, c: ConsoleCommand): Promise<unknown> {
  switch (c.do) {
    case 'call':
      return gate('window-1', c.method, c.input ?? {})
    case 'sendTest':
      return backend.services().sms.sendTest(c.to, null)
    case 'deliver':
      return backend.services().sms.deliverDue()
    case 'outbox':
      return backend.services().sms.listOutbox({ limit: 10 })
    case 'advance':
      clock.advance(c.ms)
      return clock.now()
    case 'setting':
      return (await getSetting(backend.services().db, c.key)) ?? null
  }
}

async function main(): Promise<void> {
  await backend.start()
  const gate = createGate({ handlers: createHandlers(backend), sessions: sessionLookup(backend) })
  if (mode === 'create') {
    const r = await gate('window-1', 'setup.createOwner', { ...JSON.parse(owner!), keyStore: 'keychain' })
    if (!r.ok) throw new Error(`setup: ${r.error.message}`)
  } else if (backend.phase !== 'open') {
    throw new Error(`open: ${backend.error?.message ?? backend.phase}`)
  }
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`)
  for await (const line of createInterface({ input: process.stdin })) {
    if (!line.trim()) continue
    try {
      process.stdout.write(`${JSON.stringify({ ok: true, value: await run(gate, JSON.parse(line)) })}\n`)
    } catch (e) {
      process.stdout.write(`${JSON.stringify({ ok: false, error: (e as Error).message })}\n`)
    }
  }
  await backend.close()
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
