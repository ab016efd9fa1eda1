import { onPostgres } from '../fixtures/engine'
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { systemClock } from '../../src/main/adapters/clock'
import { PasswordPolicy } from '../../src/main/core/passwords'
import { buildServices } from '../../src/main/core/services'
import { tempDir } from '../fixtures/temp'
import { sqlRun } from '../fixtures/sql'
import {
  allOutput,
  DB_PASSPHRASE,
  ensureCliBuilt,
  initPassphraseDb,
  openForTampering,
  OWNER_EMAIL,
  OWNER_PASSWORD,
  tessera,
  tesseraAsync,
  type CliRun,
  auditEvents,
} from './helpers'

const STEP_MS = 30_000
const BACKUP_CODE = /^[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}$/

/** A TOTP code from oathtool (GNU oath-toolkit), an implementation nobody here wrote. */
function oathtool(secret: string, at: number): string {
  const now = `${new Date(at).toISOString().slice(0, 19).replace('T', ' ')} UTC`
  const r = spawnSync('oathtool', ['--totp', '-b', secret, '--now', now], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`oathtool failed: ${r.stderr}`)
  return r.stdout.trim()
}

/**
 * The real clock runs on during a sequence of CLI runs; starting with at least `seconds` left in the
 * current 30 s step keeps a step boundary from passing between the runs that depend on it.
 */
async function waitForRoomInStep(seconds = 8): Promise<void> {
  const left = STEP_MS - (Date.now() % STEP_MS)
  if (left < seconds * 1000) await sleep(left + 200)
}

describe('tessera 2fa and login with a second factor', () => {
  let t: ReturnType<typeof tempDir>
  let db: string
  let env: NodeJS.ProcessEnv
  const withPassword = (args: string[], input = `${OWNER_PASSWORD}\n`): CliRun =>
    tessera(['--db', db, ...args], { input, env })
  const login = (...extra: string[]): CliRun => withPassword(['login', '--email', OWNER_EMAIL, ...extra])
  const loginWithBackupCode = (code: string, ...extra: string[]): CliRun =>
    withPassword(
      ['login', '--email', OWNER_EMAIL, '--backup-code', '-', ...extra],
      `${OWNER_PASSWORD}\n${code}\n`,
    )
  const status = (): Record<string, unknown> => {
    const r = tessera(['--db', db, '2fa', 'status', '--email', OWNER_EMAIL, '--json'], { env })
    expect(r.status, r.stderr).toBe(0)
    return r.json()
  }
  const events = () => auditEvents(db, env)

  /** Enroll and confirm with oathtool's code for `at`; returns the secret and the backup codes. */
  function enable(at = Date.now()): { secret: string; backupCodes: string[] } {
    const enroll = withPassword(['2fa', 'enroll', '--email', OWNER_EMAIL, '--json'])
    expect(enroll.status, enroll.stderr).toBe(0)
    const secret = enroll.json().secret as string
    const confirm = withPassword([
      '2fa',
      'confirm',
      '--email',
      OWNER_EMAIL,
      '--code',
      oathtool(secret, at),
      '--json',
    ])
    expect(confirm.status, confirm.stderr).toBe(0)
    return { secret, backupCodes: confirm.json().backupCodes as string[] }
  }

  beforeAll(ensureCliBuilt)
  beforeEach(() => {
    t = tempDir()
    db = join(t.dir, 'tessera.db')
    env = initPassphraseDb(db)
  })
  afterEach(() => t.cleanup())
  afterAll(() => {
    for (const out of allOutput) expect(out).not.toContain(OWNER_PASSWORD)
    for (const out of allOutput) expect(out).not.toContain(DB_PASSPHRASE)
  })

  it('interoperates: zbarimg reads the printed URI from the QR PNG, oathtool codes confirm and log in once', async () => {
    const qr = join(t.dir, 'qr.png')
    const enroll = withPassword(['2fa', 'enroll', '--email', OWNER_EMAIL, '--qr-png', qr])
    expect(enroll.status, enroll.stderr).toBe(0)
    const uri = /^URI\s+(\S+)$/m.exec(enroll.stdout)?.[1] ?? ''
    const manualKey = /^Manual key\s+(.+)$/m.exec(enroll.stdout)?.[1] ?? ''
    expect(uri).toMatch(/^otpauth:\/\/totp\/Tessera:ada\.lovelace%40example\.com\?/)
    expect(manualKey).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/)
    // The PNG holds the secret: readable by its owner only.
    expect(statSync(qr).mode & 0o777).toBe(0o600)

    const decoded = spawnSync('zbarimg', ['--raw', '-q', '--nodbus', qr], { encoding: 'utf8' })
    expect(decoded.status, decoded.stderr).toBe(0)
    expect(decoded.stdout.replace(/\n$/, '')).toBe(uri)

    const params = new URL(uri).searchParams
    const secret = params.get('secret') ?? ''
    expect(secret).toBe(manualKey.replaceAll(' ', ''))
    expect(Object.fromEntries(params)).toMatchObject({
      issuer: 'Tessera',
      algorithm: 'SHA1',
      digits: '6',
      period: '30',
    })

    await waitForRoomInStep()
    const t0 = Date.now()
    const confirm = withPassword(['2fa', 'confirm', '--email', OWNER_EMAIL, '--code', oathtool(secret, t0)])
    expect(confirm.status, confirm.stderr).toBe(0)
    expect(confirm.stdout.match(/^ {2}\d\. (\S+)$/gm)).toHaveLength(5)
    expect(confirm.stdout).toMatch(/shown only once/)

    // First the check that needs the clock still in t0's step: 2 steps ahead is outside the ±1 window.
    const twoStepsAhead = login('--code', oathtool(secret, t0 + 2 * STEP_MS))
    expect(twoStepsAhead.status, twoStepsAhead.stderr).toBe(19)
    expect(twoStepsAhead.stderr).toMatch(/code is not correct/)
    // Confirm spent t0's step, so its code is refused; the next step's code is accepted, once.
    const confirmCodeAgain = login('--code', oathtool(secret, t0))
    expect(confirmCodeAgain.status, confirmCodeAgain.stderr).toBe(20)
    const nextStep = oathtool(secret, t0 + STEP_MS)
    const accepted = login('--code', nextStep)
    expect(accepted.status, accepted.stderr).toBe(0)
    expect(accepted.stdout).toMatch(
      /^Accepted: Ada Lovelace <ada\.lovelace@example\.com> \(owner\)\nSecond factor: authenticator app code\./,
    )
    const replayed = login('--code', nextStep, '--json')
    expect(replayed.status).toBe(20)
    expect(replayed.json()).toEqual({
      error: {
        code: 'CODE_REPLAYED',
        reason: 'CODE_REPLAYED',
        message: 'This code was already used. Wait for the next code in your authenticator app.',
      },
    })

    const types = events().map((e) => e.type)
    expect(types).toContain('2fa.enrolled')
    expect(types.filter((ty) => ty === 'login.succeeded')).toHaveLength(1)
    const refused = events().filter((e) => e.type === '2fa.code_refused')
    expect(refused.map((e) => e.data.reason)).toEqual(['wrong_code', 'replayed', 'replayed'])
    for (const e of events()) expect(JSON.stringify(e.data)).not.toContain(nextStep)
  }, 60_000)

  it('prints the documented --json shapes for enroll, confirm, status and login', () => {
    const enroll = withPassword(['2fa', 'enroll', '--email', OWNER_EMAIL, '--json'])
    expect(enroll.status, enroll.stderr).toBe(0)
    const started = enroll.json()
    expect(Object.keys(started).sort()).toEqual(['expiresAt', 'manualKey', 'otpauthUri', 'qrPng', 'secret'])
    expect(started).toMatchObject({
      qrPng: null,
      expiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/) as unknown,
    })
    expect(started.otpauthUri).toContain(`secret=${started.secret as string}`)
    // Nothing is on until the code is confirmed.
    expect(status()).toMatchObject({ enrolled: false, enrolledAt: null, backupCodesTotal: 0, slots: [] })

    const confirm = withPassword([
      '2fa',
      'confirm',
      '--email',
      OWNER_EMAIL,
      '--code',
      oathtool(started.secret as string, Date.now()),
      '--json',
    ])
    expect(confirm.status, confirm.stderr).toBe(0)
    const confirmed = confirm.json()
    expect(Object.keys(confirmed).sort()).toEqual(['backupCodes', 'enrolled'])
    const codes = confirmed.backupCodes as string[]
    expect(codes).toHaveLength(5)
    for (const c of codes) expect(c).toMatch(BACKUP_CODE)
    expect(new Set(codes).size).toBe(5)

    expect(status()).toEqual({
      email: OWNER_EMAIL,
      enrolled: true,
      enrolledAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/) as unknown,
      required: false,
      backupCodesRemaining: 5,
      backupCodesTotal: 5,
      slots: [1, 2, 3, 4, 5].map((slot) => ({ slot, used: false, usedAt: null, usedMachine: null })),
    })

    const loggedIn = loginWithBackupCode(codes[2]!, '--json')
    expect(loggedIn.status, loggedIn.stderr).toBe(0)
    expect(loggedIn.json()).toEqual({
      accepted: true,
      user: { id: 1, email: OWNER_EMAIL, name: 'Ada Lovelace', role: 'owner' },
      secondFactor: 'backup_code',
      backupCodeSlot: 3,
      backupCodesRemaining: 4,
      warning: null,
    })
  })

  it('accepts each backup code once, warns at 1 and 0 left, then tells the user to reset', () => {
    const { backupCodes } = enable()
    // Never through argv: refused unread (exit 2), and the code is not spent.
    const inArgv = login('--backup-code', backupCodes[0]!, '--json')
    expect(inArgv.status).toBe(2)
    expect(inArgv.json().error).toMatchObject({ code: 'USAGE', reason: 'SECRET_IN_ARGV' })
    expect(inArgv.stdout + inArgv.stderr).not.toContain(backupCodes[0]!)
    backupCodes.forEach((code, i) => {
      // Through stdin's second line, after the password.
      const r = loginWithBackupCode(code)
      expect(r.status, r.stderr).toBe(0)
      const left = 4 - i
      expect(r.stdout).toContain(`Second factor: backup code (slot ${i + 1}). ${left} backup code`)
      if (left === 1) expect(r.stdout).toMatch(/Warning: only 1 backup code left/)
      else if (left === 0) expect(r.stdout).toMatch(/Warning: no backup codes left/)
      else expect(r.stdout).not.toMatch(/Warning/)
      const again = loginWithBackupCode(code)
      // The last one again meets "all used" first; the others are refused as not correct or used.
      expect(again.status, again.stderr).toBe(left === 0 ? 21 : 19)
    })
    const exhausted = loginWithBackupCode(backupCodes[0]!)
    expect(exhausted.status).toBe(21)
    expect(exhausted.stderr).toMatch(/All your backup codes are used\..*reset two-factor authentication/)
    const s = status()
    expect(s.backupCodesRemaining).toBe(0)
    expect((s.slots as { used: boolean }[]).every((slot) => slot.used)).toBe(true)
    const human = tessera(['--db', db, '2fa', 'status', '--email', OWNER_EMAIL], { env })
    expect(human.stdout).toMatch(/^Backup codes {2}0\/5 remaining$/m)
    const used = events().filter((e) => e.type === '2fa.backup_code_used')
    expect(used.map((e) => e.data.slot)).toEqual([1, 2, 3, 4, 5])
  }, 60_000)

  it('lets exactly one of two racing logins (two processes, one database) spend the same backup code', async () => {
    const { backupCodes } = enable()
    const before = Date.now()
    const race = () =>
      tesseraAsync(['--db', db, 'login', '--email', OWNER_EMAIL, '--backup-code', '-', '--json'], {
        input: `${OWNER_PASSWORD}\n${backupCodes[1]!}\n`,
        env,
      })
    const runs = await Promise.all([race(), race()])
    const statuses = runs.map((r) => r.status).sort()
    expect(statuses, runs.map((r) => r.stderr + r.stdout).join('\n')).toEqual([0, 19])
    const winner = runs.find((r) => r.status === 0)!
    expect(winner.json()).toMatchObject({
      secondFactor: 'backup_code',
      backupCodeSlot: 2,
      backupCodesRemaining: 4,
    })

    const slots = status().slots as {
      slot: number
      used: boolean
      usedAt: string | null
      usedMachine: string | null
    }[]
    expect(slots.filter((s) => s.used).map((s) => s.slot)).toEqual([2])
    const slot = slots[1]!
    expect(slot.usedMachine).toBe(hostname())
    expect(Date.parse(slot.usedAt!)).toBeGreaterThanOrEqual(before)
    expect(Date.parse(slot.usedAt!)).toBeLessThanOrEqual(Date.now())
    const human = tessera(['--db', db, '2fa', 'status', '--email', OWNER_EMAIL], { env })
    expect(human.stdout).toContain(`  slot 2  used at ${slot.usedAt!} on ${hostname()}`)
    expect(human.stdout).toMatch(/^ {2}slot 1 {2}unused$/m)
    expect(human.stdout).toMatch(/^Backup codes {2}4\/5 remaining$/m)
  }, 60_000)

  it('locks the account after repeated wrong codes; the right code is then refused too', async () => {
    const { secret } = enable()
    const opened = await openForTampering(db)
    const services = buildServices(opened, {
      clock: systemClock,
      passwordPolicy: new PasswordPolicy(new Set()),
    })
    await services.policy.update({ failuresBeforeDelay: 5, failuresBeforeLock: 2 }, null)
    await services.close()

    const now = Date.now()
    const valid = [-1, 0, 1, 2].map((k) => oathtool(secret, now + k * STEP_MS))
    let wrong = oathtool(secret, now + 20 * STEP_MS)
    if (valid.includes(wrong)) wrong = oathtool(secret, now + 21 * STEP_MS)

    expect(login('--code', wrong).status).toBe(19)
    const locked = login('--code', wrong, '--json')
    expect(locked.status).toBe(4)
    expect(locked.json()).toMatchObject({
      error: { code: 'ACCOUNT_LOCKED', message: expect.stringMatching(/locked .* until \d{4}-/) as unknown },
    })
    const right = login('--code', oathtool(secret, Date.now() + STEP_MS))
    expect(right.status).toBe(4)
    expect(right.stderr).toMatch(/locked/)

    const all = events()
    const lock = all.find((e) => e.type === 'account.locked')
    expect(lock?.data).toMatchObject({ factor: 'second_factor', consecutiveFailures: 2 })
    expect(all.filter((e) => e.type === 'login.succeeded')).toHaveLength(0)
    for (const e of all) expect(JSON.stringify(e.data)).not.toContain(wrong)
  }, 60_000)

  it('regenerate-codes replaces the set; disable turns 2FA off', () => {
    const t0 = Date.now()
    const { secret, backupCodes: old } = enable(t0)
    const regen = withPassword([
      '2fa',
      'regenerate-codes',
      '--email',
      OWNER_EMAIL,
      '--code',
      oathtool(secret, t0 + STEP_MS),
    ])
    expect(regen.status, regen.stderr).toBe(0)
    expect(regen.stdout).toMatch(/shown only once/)
    const fresh = regen.stdout.match(/(?<=^ {2}\d\. )\S+$/gm) ?? []
    expect(fresh).toHaveLength(5)
    for (const c of fresh) expect(old).not.toContain(c)

    expect(loginWithBackupCode(old[0]!).status).toBe(19)
    expect(loginWithBackupCode(fresh[0]!).status).toBe(0)

    const off = withPassword(
      ['2fa', 'disable', '--email', OWNER_EMAIL, '--backup-code', '-', '--json'],
      `${OWNER_PASSWORD}\n${fresh[1]!}\n`,
    )
    expect(off.status, off.stderr).toBe(0)
    expect(off.json()).toMatchObject({ enrolled: false, backupCodesTotal: 0 })
    expect(status()).toMatchObject({ enrolled: false, enrolledAt: null, backupCodesRemaining: 0, slots: [] })
    expect(tessera(['--db', db, '2fa', 'status', '--email', OWNER_EMAIL], { env }).stdout).toMatch(
      /^Enrolled {6}no$/m,
    )
    // Without 2FA the password alone signs in again; and there is nothing left to turn off.
    expect(login().status).toBe(0)
    const inArgv = withPassword(['2fa', 'disable', '--email', OWNER_EMAIL, '--backup-code', fresh[2]!])
    expect(inArgv.status).toBe(2)
    expect(inArgv.stderr).not.toContain(fresh[2]!)
    const again = withPassword(
      ['2fa', 'disable', '--email', OWNER_EMAIL, '--backup-code', '-'],
      `${OWNER_PASSWORD}\n${fresh[2]!}\n`,
    )
    expect(again.status).toBe(23)
    const types = events().map((e) => e.type)
    expect(types).toContain('2fa.backup_codes_regenerated')
    expect(types).toContain('2fa.disabled')
  }, 60_000)

  it('asks for the second factor (exit 22) or for enrollment (exit 23) after a correct password', async () => {
    const opened = await openForTampering(db)
    await sqlRun(opened.db, 'UPDATE users SET require_2fa = 1 WHERE email = ?', OWNER_EMAIL)
    await opened.db.close()
    const mustEnroll = login()
    expect(mustEnroll.status).toBe(23)
    expect(mustEnroll.stderr).toMatch(/must turn on two-factor authentication.*tessera 2fa enroll/)

    const { secret } = enable()
    const needsCode = login('--json')
    expect(needsCode.status).toBe(22)
    expect(needsCode.json()).toMatchObject({
      error: {
        code: 'SECOND_FACTOR_REQUIRED',
        message: expect.stringMatching(/--code .*--backup-code/) as unknown,
      },
    })
    // A wrong password stops before the code: nothing about the code is checked or told.
    const wrongPassword = withPassword(
      ['login', '--email', OWNER_EMAIL, '--code', oathtool(secret, Date.now() + STEP_MS)],
      'Not-The-Password-1\n',
    )
    expect(wrongPassword.status).toBe(3)
    expect(events().some((e) => e.type === '2fa.code_refused')).toBe(false)
    expect(login('--code', '12345').status).toBe(2)
    const both = login('--code', '123456', '--backup-code', '-', '--json')
    expect(both.status).toBe(2)
    expect(both.json().error).toMatchObject({ reason: 'INVALID_VALUE' })
    const noCodeOnStdin = login('--backup-code', '-')
    expect(noCodeOnStdin.status).toBe(2)
    expect(noCodeOnStdin.stderr).toMatch(/the backup code as the line after the password/)
    expect(noCodeOnStdin.stderr).toContain(
      `"$BACKUP_CODE" | tessera login --email ${OWNER_EMAIL} --backup-code -`,
    )
    // An app code may also come from stdin's second line, with --code -.
    const fromStdin = withPassword(
      ['login', '--email', OWNER_EMAIL, '--code', '-'],
      `${OWNER_PASSWORD}\n${oathtool(secret, Date.now() + STEP_MS)}\n`,
    )
    expect(fromStdin.status, fromStdin.stderr).toBe(0)
    expect(fromStdin.stdout).toContain('Second factor: authenticator app code.')
  }, 60_000)

  it('re-checks the password before enrolling, with one answer for a wrong password and an unknown email', () => {
    const wrong = withPassword(['2fa', 'enroll', '--email', OWNER_EMAIL], 'Not-The-Password-1\n')
    const unknown = withPassword(['2fa', 'enroll', '--email', 'nobody@example.com'])
    expect(wrong.status).toBe(3)
    expect(unknown.status).toBe(3)
    expect(wrong.stderr).toBe('tessera: The email or password is not correct.\n')
    expect(unknown.stderr).toBe(wrong.stderr)
    expect(wrong.stdout + unknown.stdout).not.toMatch(/otpauth/)
    // No enrollment was started, so there is nothing to confirm.
    expect(withPassword(['2fa', 'confirm', '--email', OWNER_EMAIL, '--code', '123456']).status).toBe(24)
    expect(tessera(['--db', db, '2fa', 'status', '--email', 'nobody@example.com'], { env }).status).toBe(24)
    const failed = events().filter((e) => e.type === 'reauth.failed')
    expect(failed.map((e) => e.data.reason)).toEqual(['wrong_password', 'unknown_user'])
  })

  // The file, read with strings; a team database's dump is searched in team.test.ts.
  it.skipIf(onPostgres)(
    'keeps the TOTP secret and the backup codes out of the database file in clear',
    () => {
      const { secret, backupCodes } = enable()
      const files = [db, `${db}-wal`].filter((f) => existsSync(f))
      const text = files
        .map((f) => {
          const r = spawnSync('strings', ['-n', '6', f], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
          expect(r.status).toBe(0)
          return r.stdout
        })
        .join('\n')
      expect(text.length).toBeGreaterThan(0)
      expect(text).not.toContain(secret)
      for (const code of backupCodes) {
        expect(text).not.toContain(code)
        expect(text).not.toContain(code.replace('-', ''))
      }
      // Nor the raw 20 secret bytes, which strings would not show.
      const raw = Buffer.from(base32Decode(secret))
      for (const f of files) expect(readFileSync(f).includes(raw)).toBe(false)
    },
  )
})

describe('tessera 2fa help', () => {
  beforeAll(ensureCliBuilt)

  it.each([
    [
      ['2fa', '--help'],
      ['enroll', 'confirm', 'status', 'regenerate-codes', 'disable'],
    ],
    [
      ['2fa', 'enroll', '--help'],
      ['--email', '--qr-png', 'Stdin', '--json'],
    ],
    [
      ['2fa', 'confirm', '--help'],
      ['--email', '--code', 'Stdin', '--json'],
    ],
    [
      ['2fa', 'status', '--help'],
      ['--email', '--json'],
    ],
    [
      ['2fa', 'regenerate-codes', '--help'],
      ['--email', '--code', 'Stdin', '--json'],
    ],
    [
      ['2fa', 'disable', '--help'],
      ['--code', '--backup-code', 'second line', '--json'],
    ],
    [
      ['login', '--help'],
      ['--code', '--backup-code', 'second line of stdin', '--json'],
    ],
    [['--help'], ['2fa enroll', '19  INVALID_CODE', '22  SECOND_FACTOR_REQUIRED', '23  ENROLLMENT_REQUIRED']],
  ])('tessera %j documents its flags', (args, mentions) => {
    const r = tessera(args)
    expect(r.status).toBe(0)
    for (const m of mentions) expect(r.stdout).toContain(m)
  })
})

/** RFC 4648 base32, decoded here rather than with the code under test. */
function base32Decode(text: string): number[] {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  let bits = ''
  for (const ch of text) bits += alphabet.indexOf(ch).toString(2).padStart(5, '0')
  const bytes: number[] = []
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2))
  return bytes
}
