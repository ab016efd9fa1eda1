import { spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/main/adapters/clock'
import { PasswordPolicy } from '../../src/main/core/passwords'
import { buildServices } from '../../src/main/core/services'
import { fromBase32, totpAt } from '../../src/main/core/totp'
import { openDatabase } from '../../src/main/db/open'
import type { BackupCodesDto, EnrollmentStartDto, InvitationDto } from '../../src/shared/dto'
import type { Result } from '../../src/shared/result'
import { COMMON_PASSWORDS, gateFor, startTestBackend } from '../fixtures/backend'
import { bundleScript } from '../fixtures/bundle'
import { onPostgres } from '../fixtures/engine'
import { unreachableKeychain } from '../fixtures/keychain'
import { startFakeTwilio, type FakeTwilio } from '../fixtures/fake-twilio'
import { tempDir } from '../fixtures/temp'
import { brokenInvariants, CRASH_PASSWORD, type CrashSetup, type JournalEntry, mulberry32 } from './model'

/**
 * The crash suite: a real process works the database without pause and is killed with SIGKILL at a
 * seeded random moment, again and again; after every kill the database is opened as the next start
 * would open it and every invariant is checked (see `brokenInvariants`). The schedule is the seed's:
 * TESSERA_CRASH_SEED replays a failing run, TESSERA_CRASH_KILLS sets how many kills (200 by default).
 */
const KILLS = Number(process.env.TESSERA_CRASH_KILLS ?? 200)
const SEED = Number(process.env.TESSERA_CRASH_SEED ?? 20261130)
const ROOT = join(import.meta.dirname, '../..')
const PASSPHRASE = 'crash suite database passphrase'
const START = Date.UTC(2026, 10, 30, 8)

const value = <T>(r: Result<unknown>, what: string): T => {
  if (!r.ok) throw new Error(`${what}: ${r.error.code}: ${r.error.message}`)
  return r.value as T
}

describe.skipIf(onPostgres)('SIGKILL at random moments (encrypted SQLite file)', () => {
  let t: ReturnType<typeof tempDir>
  let twilio: FakeTwilio
  let driver: string

  beforeAll(async () => {
    t = tempDir('tessera-crash-')
    twilio = await startFakeTwilio()
    driver = await bundleScript(join(import.meta.dirname, 'driver.ts'), 'crash-driver')
    const clock = new ManualClock(START)
    const backend = await startTestBackend({ dir: t.dir, clock })
    const gate = gateFor(backend)
    const code = (secret: string) =>
      totpAt({ secret: fromBase32(secret), algorithm: 'sha1', digits: 6, period: 30 }, clock.now())
    const enroll = async (client: string): Promise<{ secret: string; codes: string[] }> => {
      const start = value<EnrollmentStartDto>(
        await gate(client, 'twoFactor.startEnrollment', { password: CRASH_PASSWORD }),
        'start',
      )
      const { backupCodes } = value<BackupCodesDto>(
        await gate(client, 'twoFactor.confirmEnrollment', { code: await code(start.manualKey) }),
        'confirm',
      )
      clock.advance(31_000)
      return { secret: start.manualKey, codes: backupCodes }
    }
    const invite = async (email: string, role: 'support' | 'member') => {
      const inv = value<InvitationDto>(
        await gate('owner', 'users.create', { email, name: email.split('@')[0], role }),
        'invite',
      )
      value(
        await gate(email, 'auth.activate', { email, code: inv.code, password: CRASH_PASSWORD }),
        'activate',
      )
      return enroll(email)
    }
    const owner = { email: 'olga.owner@example.com', name: 'Olga Owner' }
    value(
      await gate('owner', 'setup.createOwner', {
        ...owner,
        password: CRASH_PASSWORD,
        keyStore: 'passphrase',
        passphrase: PASSPHRASE,
      }),
      'setup',
    )
    value(await gate('owner', 'policy.update', { recoveryCoolingOffMinutes: 0 }), 'policy')
    const setup: CrashSetup = {
      passphrase: PASSPHRASE,
      commonPasswords: COMMON_PASSWORDS,
      owner: { email: owner.email, secret: (await enroll('owner')).secret },
      agents: [],
    }
    for (const email of ['sam.support@example.com', 'sue.support@example.com']) {
      setup.agents.push({ email, secret: (await invite(email, 'support')).secret })
    }
    // People to log in, spend codes and ask for recovery from the first kill on.
    const members: JournalEntry[] = []
    for (const email of ['mia@example.com', 'noah@example.com', 'lena@example.com', 'omar@example.com']) {
      members.push({ op: 'enrolled', email, ...(await invite(email, 'member')) })
    }
    await backend.services().sms.configure(
      {
        provider: 'twilio',
        accountSid: twilio.accountSid,
        from: '+15005550006',
        apiBaseUrl: twilio.baseUrl,
        authToken: twilio.authToken,
      },
      null,
    )
    await backend.close()
    writeFileSync(join(t.dir, 'setup.json'), JSON.stringify(setup))
    writeFileSync(join(t.dir, 'journal.jsonl'), members.map((m) => `${JSON.stringify(m)}\n`).join(''))
  })
  afterAll(async () => {
    await twilio?.close()
    if (!process.env.TESSERA_CRASH_KEEP) t?.cleanup()
  })

  const journal = (): JournalEntry[] =>
    readFileSync(join(t.dir, 'journal.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as JournalEntry)

  it(`keeps every invariant across ${KILLS} kills (seed ${SEED})`, { timeout: 600_000 }, async () => {
    const rng = mulberry32(SEED)
    const inFlight = new Map<string, number>()
    let killed = 0
    let beforeReady = 0
    for (let i = 0; i < KILLS; i++) {
      const child = spawn(
        process.execPath,
        [driver, t.dir, String(SEED + i), String(START + (i + 1) * 7_200_000)],
        {
          cwd: ROOT,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      )
      let out = ''
      let err = ''
      child.stdout.on('data', (d: Buffer) => (out += d.toString()))
      child.stderr.on('data', (d: Buffer) => (err += d.toString()))
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
      // One kill in ten lands while the process is still starting (opening, migrating, signing in); the
      // others while the 1st or 2nd operation of the run is under way, at a random moment in it.
      const early = rng() < 0.1
      const steps = 1 + Math.floor(rng() * 2)
      if (!early) {
        for (let waited = 0; (out.match(/^> /gm) ?? []).length < steps; waited += 5) {
          if (child.exitCode !== null || waited > 60_000) break
          await sleep(5)
        }
      }
      await sleep(Math.floor(rng() * (early ? 600 : 300)))
      const wasRunning = child.exitCode === null
      child.kill('SIGKILL')
      const code = await exited
      const entries = journal()
      const failure = entries.find((e) => e.op === 'error')
      expect(
        failure,
        `run ${i}: the driver failed on its own: ${JSON.stringify(failure)}\n${err}`,
      ).toBeUndefined()
      expect(wasRunning, `run ${i}: the driver ended by itself (exit ${code}): ${err}`).toBe(true)
      killed++
      if (!out.includes('ready\n')) beforeReady++
      // What was in flight: the step the driver had begun last.
      const last = /> ([^\n]+)\n$/.exec(out)?.[1] ?? 'starting'
      inFlight.set(last, (inFlight.get(last) ?? 0) + 1)
      if (process.env.TESSERA_CRASH_DEBUG) console.log(`[crash ${i}] ${out.replace(/\n/g, ' | ')}`)

      const opened = await openDatabase(join(t.dir, 'tessera.db'), {
        keychain: unreachableKeychain(),
        passphrase: () => PASSPHRASE,
      })
      const services = buildServices(opened, {
        clock: new ManualClock(START),
        passwordPolicy: PasswordPolicy.fromFile(COMMON_PASSWORDS),
      })
      try {
        const broken = await brokenInvariants(services, entries, twilio.messages)
        expect(broken, `after kill ${i + 1} (seed ${SEED + i})`).toEqual([])
      } finally {
        await services.close()
      }
    }
    const ops = journal()
    const tally = (op: JournalEntry['op']) => ops.filter((e) => e.op === op).length
    console.log(
      `[crash] ${killed} kills (${beforeReady} while starting); step in flight at each kill: ${JSON.stringify(
        Object.fromEntries(inFlight),
      )}; acknowledged: ${tally('enrolled')} enrollments, ${tally('spent')} backup codes spent, ${tally('login')} logins, ${tally('sms-queued')} SMS, ${tally('recovery-approved')} approvals, ${tally('import-codes')} imports' codes saved; Twilio got ${twilio.messages.length} messages`,
    )
    expect(killed).toBe(KILLS)
  })
})
