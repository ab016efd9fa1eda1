import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { systemClock } from '../../src/main/adapters/clock'
import { PasswordPolicy } from '../../src/main/core/passwords'
import { buildServices } from '../../src/main/core/services'
import { tempDir } from '../fixtures/temp'
import {
  allOutput,
  DB_PASSPHRASE,
  ensureCliBuilt,
  initPassphraseDb,
  openForTampering,
  OWNER_EMAIL,
  OWNER_PASSWORD,
  tessera,
  auditEvents,
} from './helpers'

describe('tessera login', () => {
  let t: ReturnType<typeof tempDir>
  let db: string
  let env: NodeJS.ProcessEnv
  const login = (email: string, password: string, ...extra: string[]) =>
    tessera(['--db', db, 'login', '--email', email, ...extra], { input: `${password}\n`, env })
  const events = () => auditEvents(db, env)

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

  it('accepts the right password (exit 0) and audits the login as coming from the CLI', () => {
    const r = login(OWNER_EMAIL, OWNER_PASSWORD)
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/^Accepted/)
    const json = login(OWNER_EMAIL, OWNER_PASSWORD, '--json')
    expect(json.status).toBe(0)
    expect(json.json()).toMatchObject({ accepted: true, user: { email: OWNER_EMAIL, role: 'owner' } })
    const succeeded = events().filter((e) => e.type === 'login.succeeded')
    expect(succeeded).toHaveLength(2)
    expect(succeeded[0]?.data).toMatchObject({ via: 'cli' })
  })

  it('refuses a wrong password (exit 3) with the same answer as an unknown email', () => {
    const wrong = login(OWNER_EMAIL, 'Not-The-Password-1')
    const unknown = login('nobody@example.com', OWNER_PASSWORD)
    expect(wrong.status).toBe(3)
    expect(unknown.status).toBe(3)
    expect(wrong.stderr).toBe('tessera: The email or password is not correct.\n')
    expect(unknown.stderr).toBe(wrong.stderr)
    const failed = events().filter((e) => e.type === 'login.failed')
    expect(failed.map((e) => e.data.reason)).toEqual(['wrong_password', 'unknown_user'])
    const json = login(OWNER_EMAIL, 'Not-The-Password-1', '--json')
    expect(json.json()).toEqual({
      error: {
        code: 'INVALID_CREDENTIALS',
        reason: 'INVALID_CREDENTIALS',
        message: 'The email or password is not correct.',
      },
    })
  })

  it('throttles quick retries after 3 failures (exit 5, seconds to wait) and audits the refusal', () => {
    // Default policy: a growing delay from the 3rd failure (1 s, 2 s, 4 s …). A run takes well under
    // the 4 s that follows the 5th failure, so a throttled answer must come within a few tries.
    const statuses: (number | null)[] = []
    let throttled: ReturnType<typeof login> | undefined
    for (let i = 0; i < 8 && !throttled; i++) {
      const r = login(OWNER_EMAIL, 'Not-The-Password-1', '--json')
      statuses.push(r.status)
      if (r.status === 5) throttled = r
    }
    expect(statuses.slice(0, 3)).toEqual([3, 3, 3])
    expect(throttled).toBeDefined()
    const error = throttled!.json().error as Record<string, unknown>
    expect(error).toMatchObject({
      code: 'THROTTLED',
      message: expect.stringMatching(/Try again in \d+ s/) as unknown,
    })
    expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(1)
    expect(events().some((e) => e.type === 'login.failed' && e.data.reason === 'throttled')).toBe(true)
  })

  it('locks the account after the policy threshold (exit 4, with the time it ends)', async () => {
    // The default lock needs 10 failures and ~1 minute of delays; a stricter policy reaches it at once.
    const opened = await openForTampering(db)
    const services = buildServices(opened, {
      clock: systemClock,
      passwordPolicy: new PasswordPolicy(new Set()),
    })
    await services.policy.update({ failuresBeforeDelay: 5, failuresBeforeLock: 2 }, null)
    await services.close()
    expect(login(OWNER_EMAIL, 'Not-The-Password-1').status).toBe(3)
    const locked = login(OWNER_EMAIL, 'Not-The-Password-1')
    expect(locked.status).toBe(4)
    expect(locked.stderr).toMatch(/locked .* until \d{4}-\d\d-\d\d \d\d:\d\d UTC/)
    // Even the right password is refused while the lock lasts.
    const after = login(OWNER_EMAIL, OWNER_PASSWORD)
    expect(after.status).toBe(4)
    expect(events().some((e) => e.type === 'account.locked')).toBe(true)
  })

  it('needs the password on stdin (exit 2) and validates --email', () => {
    const empty = tessera(['--db', db, 'login', '--email', OWNER_EMAIL], { input: '', env })
    expect(empty.status).toBe(2)
    expect(empty.stderr).toMatch(/No password on stdin/)
    const bad = tessera(['--db', db, 'login', '--email', 'nope'], { input: `${OWNER_PASSWORD}\n`, env })
    expect(bad.status).toBe(2)
    expect(bad.stderr).toMatch(/--email: Enter a valid email address/)
  })
})
