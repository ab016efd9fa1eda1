/**
 * The crash suite's workload: one real process that opens the database like a console does and works it
 * without pause (enrollments, backup-code logins, app-code logins, SMS, recovery approvals) until the
 * test kills it with SIGKILL. Every operation that came back is written to the journal (appended and
 * fsync'd) before the next starts, so the test knows what a person was told happened: the database must
 * hold at least that, whenever the kill landed.
 *
 * Bundled into one file by the test (`bundleDriver`) so it starts in a fraction of a second.
 */
import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { ManualClock } from '../../src/main/adapters/clock'
import { createKeytarKeychain } from '../../src/main/adapters/keychain'
import { Backend } from '../../src/main/core/backend'
import { PasswordPolicy } from '../../src/main/core/passwords'
import { fromBase32, totpAt } from '../../src/main/core/totp'
import { createGate } from '../../src/main/ipc/gate'
import { createHandlers, sessionLookup } from '../../src/main/ipc/handlers'
import type {
  BackupCodesDto,
  EnrollmentStartDto,
  InvitationDto,
  RecoveryFiledDto,
} from '../../src/shared/dto'
import type { Result } from '../../src/shared/result'
import { CRASH_PASSWORD, type CrashSetup, type JournalEntry, mulberry32 } from './model'

const [dir, seedText, nowText] = process.argv.slice(2)
if (!dir || !seedText || !nowText) throw new Error('usage: driver DIR SEED NOW')
const setup = JSON.parse(readFileSync(join(dir, 'setup.json'), 'utf8')) as CrashSetup
const rng = mulberry32(Number(seedText))
const clock = new ManualClock(Number(nowText))

const journalFd = openSync(join(dir, 'journal.jsonl'), 'a')
function journal(entry: JournalEntry): void {
  writeSync(journalFd, `${JSON.stringify(entry)}\n`)
  fsyncSync(journalFd)
}

/** What earlier runs acknowledged: enrolled people, their codes, and which were spent. */
function readJournal(): JournalEntry[] {
  return readFileSync(join(dir!, 'journal.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as JournalEntry)
}

const backend = new Backend({
  dbPath: join(dir, 'tessera.db'),
  keychain: createKeytarKeychain('Tessera', '/nonexistent-keytar-location'),
  clock,
  passwordPolicy: PasswordPolicy.fromFile(setup.commonPasswords),
  client: { via: 'desktop', machine: hostname() },
  envPassphrase: setup.passphrase,
  smsWorkerIntervalMs: 0,
  twilioTimeoutMs: 3000,
  ...(setup.databaseUrl ? { databaseUrl: setup.databaseUrl, poolSize: 2 } : {}),
})

const value = <T>(r: Result<unknown>, what: string): T => {
  if (!r.ok) throw new Error(`${what}: ${r.error.code}: ${r.error.message}`)
  return r.value as T
}

const code = (secret: string) =>
  totpAt({ secret: fromBase32(secret), algorithm: 'sha1', digits: 6, period: 30 }, clock.now())

async function main(): Promise<void> {
  await backend.start()
  const gate = createGate({ handlers: createHandlers(backend), sessions: sessionLookup(backend) })
  const call = (client: string, method: string, input: unknown = {}) => gate(client, method, input)
  const signIn = async (client: string, email: string, secret: string) => {
    value(await call(client, 'auth.login', { email, password: CRASH_PASSWORD }), `login ${email}`)
    value(await call(client, 'auth.verifySecondFactor', { code: await code(secret) }), `app code ${email}`)
  }
  await signIn('owner', setup.owner.email, setup.owner.secret)
  /** Takes an import's held codes, keeps them (the journal, fsync'd), then lets Tessera erase its copies. */
  const deliverCodes = async (importId: string) => {
    const held = value<{ csv: string; count: number; through: number }>(
      await call('owner', 'users.importCodes', { importId }),
      'import codes',
    )
    const codes: Record<string, string> = {}
    for (const line of held.csv.split('\n').slice(1)) {
      const [email, , , code] = line.split(',')
      if (email && code) codes[email] = code
    }
    journal({ op: 'import-codes', codes })
    value(await call('owner', 'users.importCodesSaved', { importId, through: held.through }), 'codes saved')
  }
  let agentSignedIn = false
  const past = readJournal()
  const enrolled = new Map<string, { secret: string; codes: string[] }>()
  const spent = new Set<string>()
  for (const e of past) {
    if (e.op === 'enrolled') enrolled.set(e.email, { secret: e.secret, codes: e.codes })
    if (e.op === 'spent' || e.op === 'refused-spent') spent.add(e.code)
  }
  // A console that has been running a while has its Twilio client loaded: kills land in the sending,
  // not in loading a module.
  await import('twilio')
  // What an import killed before its codes were saved left behind: the console offers it after a
  // restart, and its codes are saved (journaled) before they are erased.
  const unfinished = value<{ imports: { importId: string }[] }>(
    await call('owner', 'users.importUnfinished'),
    'unfinished imports',
  )
  for (const run of unfinished.imports) await deliverCodes(run.importId)
  process.stdout.write('ready\n')

  for (let n = 0; ; n++) {
    // A fresh TOTP time step for every operation: the replay guard takes each code once.
    clock.advance(31_000)
    // The owner's and the agent's consoles stay in use between the operations that need them: with the
    // clock moving 31 s per operation, a long run of others would otherwise reach the idle lock.
    value(await call('owner', 'session.touch'), 'touch')
    if (agentSignedIn) value(await call('agent-0', 'session.touch'), 'touch')
    const pick = rng()
    const people = [...enrolled.entries()]
    const step = (name: string) => process.stdout.write(`> ${name}\n`)
    if (pick < 0.15 || people.length < 3) {
      step('enroll')
      const email = `crash-${seedText}-${n}@example.com`
      const inv = value<InvitationDto>(
        await call('owner', 'users.create', { email, name: `Crash ${seedText} ${n}`, role: 'member' }),
        'create',
      )
      journal({ op: 'invited', email, userId: inv.userId })
      const client = `new-${n}`
      value(
        await call(client, 'auth.activate', { email, code: inv.code, password: CRASH_PASSWORD }),
        'activate',
      )
      const start = value<EnrollmentStartDto>(
        await call(client, 'twoFactor.startEnrollment', { password: CRASH_PASSWORD }),
        'start enrollment',
      )
      const confirmed = value<BackupCodesDto>(
        await call(client, 'twoFactor.confirmEnrollment', { code: await code(start.manualKey) }),
        'confirm enrollment',
      )
      journal({ op: 'enrolled', email, secret: start.manualKey, codes: confirmed.backupCodes })
      enrolled.set(email, { secret: start.manualKey, codes: confirmed.backupCodes })
      value(await call(client, 'auth.logout'), 'logout')
    } else if (pick < 0.27) {
      step('import')
      const rows = Array.from(
        { length: 24 },
        (_, k) => `imp-${seedText}-${n}-${k}@example.com,Imported ${k},member,`,
      )
      const begun = value<{ importId: string | null }>(
        await call('owner', 'users.importBegin', {
          csv: ['email,name,role,require_2fa', ...rows].join('\n'),
        }),
        'import begin',
      )
      if (!begun.importId) throw new Error('the generated file was refused')
      for (;;) {
        const p = value<{ imported: number; total: number }>(
          await call('owner', 'users.importNext', { importId: begun.importId, batchSize: 6 }),
          'import next',
        )
        if (p.imported >= p.total) break
      }
      await deliverCodes(begun.importId)
    } else if (pick < 0.45) {
      step('backup-code login')
      const withCodes = people.filter(([, p]) => p.codes.some((c) => !spent.has(c)))
      const [email, person] = withCodes[Math.floor(rng() * withCodes.length)] ?? people[0]!
      const backupCode = person.codes.find((c) => !spent.has(c))
      if (!backupCode) continue
      const client = `spend-${n}`
      value(await call(client, 'auth.login', { email, password: CRASH_PASSWORD }), 'login')
      const r = await call(client, 'auth.verifySecondFactor', { backupCode })
      spent.add(backupCode)
      // A code an earlier run spent just before it was killed (before its journal line) is refused now.
      journal({ op: r.ok ? 'spent' : 'refused-spent', email, code: backupCode })
      if (r.ok) value(await call(client, 'auth.logout'), 'logout')
      else if (r.error.code !== 'INVALID_CODE')
        throw new Error(`backup code: ${r.error.code}: ${r.error.message}`)
    } else if (pick < 0.6) {
      step('app-code login')
      const [email, person] = people[Math.floor(rng() * people.length)]!
      const client = `login-${n}`
      await signIn(client, email, person.secret)
      journal({ op: 'login', email })
      value(await call(client, 'auth.logout'), 'logout')
    } else if (pick < 0.8) {
      step('sms')
      const to = `+3461${String(Math.floor(rng() * 10_000_000)).padStart(7, '0')}`
      value(await call('owner', 'sms.sendTest', { to }), 'sms test')
      journal({ op: 'sms-queued', to })
      await backend.services().sms.deliverDue()
      journal({ op: 'sms-worked' })
    } else {
      step('recovery')
      const [email] = people[Math.floor(rng() * people.length)]!
      const client = `ask-${n}`
      value(await call(client, 'auth.login', { email, password: CRASH_PASSWORD }), 'login')
      const filed = await call(client, 'auth.requestRecovery', {
        message: 'I lost my phone on the way to the office.',
        contact: 'Desk 12, extension 4410',
      })
      if (!filed.ok) {
        // One live request per person: a request from an earlier run is still open.
        if (filed.error.code !== 'CONFLICT')
          throw new Error(`recovery: ${filed.error.code}: ${filed.error.message}`)
        continue
      }
      const { requestId } = filed.value as RecoveryFiledDto
      if (!agentSignedIn) await signIn('agent-0', setup.agents[0]!.email, setup.agents[0]!.secret)
      agentSignedIn = true
      journal({ op: 'recovery-filed', email, requestId })
      value(
        await call('agent-0', 'recovery.check', { requestId, checks: ['callback_known_number', 'photo_id'] }),
        'check',
      )
      value(await call('agent-0', 'recovery.approve', { requestId }), 'approve')
      journal({ op: 'recovery-approved', requestId })
      value(await call('agent-0', 'recovery.issueCode', { requestId }), 'issue code')
      journal({ op: 'recovery-issued', requestId })
    }
  }
}

main().catch((error: unknown) => {
  journal({ op: 'error', message: error instanceof Error ? error.message : String(error) })
  closeSync(journalFd)
  process.exit(1)
})
