import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { systemClock } from '../../src/main/adapters/clock'
import { toSessionUser } from '../../src/main/core/auth'
import { PasswordPolicy } from '../../src/main/core/passwords'
import { buildServices, type Services } from '../../src/main/core/services'
import { fromBase32, totpAt } from '../../src/main/core/totp'
import { insertSms } from '../../src/main/db/queries/sms'
import { listActiveOwners } from '../../src/main/db/queries/users'
import type { SessionUser } from '../../src/shared/dto'
import type { Role } from '../../src/shared/schemas'
import { onPostgres } from '../fixtures/engine'
import { startFakeTwilio, type FakeTwilio } from '../fixtures/fake-twilio'
import { sqlAll, sqlRun, sqlValue } from '../fixtures/sql'
import { tempDir } from '../fixtures/temp'
import {
  ageAccounts,
  AS_OWNER,
  auditEvents,
  DB_PASSPHRASE,
  ensureCliBuilt,
  initPassphraseDb,
  openForTampering,
  OWNER_EMAIL,
  OWNER_PASSWORD,
  ownerStdin,
  tessera,
  tesseraAsync,
  twilioConfigArgs,
  type CliRun,
} from './helpers'

/**
 * Several consoles at once: real separate processes (the CLI), each with its own connection, racing on
 * the same database — a file on SQLite, a team database on PostgreSQL. Every figure a closing note
 * quotes (attempts, successes, duplicates) is asserted here.
 */
const engine = onPostgres ? 'PostgreSQL' : 'SQLite'

function oathtool(secret: string, at: number): string {
  const now = `${new Date(at).toISOString().slice(0, 19).replace('T', ' ')} UTC`
  const r = spawnSync('oathtool', ['--totp', '-b', secret, '--now', now], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`oathtool failed: ${r.stderr}`)
  return r.stdout.trim()
}

describe(`several processes at once on one database (${engine})`, () => {
  let t: ReturnType<typeof tempDir>
  let db: string
  let env: NodeJS.ProcessEnv
  const run = (args: string[], input = ''): CliRun => tessera(['--db', db, ...args], { input, env })
  const runAsync = (args: string[], input = ''): Promise<CliRun> =>
    tesseraAsync(['--db', db, ...args], { input, env })

  beforeAll(ensureCliBuilt)
  beforeEach(() => {
    t = tempDir()
    db = join(t.dir, 'tessera.db')
    env = initPassphraseDb(db)
  })
  afterEach(() => t.cleanup())

  it('spends each backup code exactly once when 3 processes race for it', async () => {
    const enroll = run(['2fa', 'enroll', '--email', OWNER_EMAIL, '--json'], `${OWNER_PASSWORD}\n`)
    expect(enroll.status, enroll.stderr).toBe(0)
    const secret = enroll.json().secret as string
    const confirm = run(
      ['2fa', 'confirm', '--email', OWNER_EMAIL, '--code', oathtool(secret, Date.now()), '--json'],
      `${OWNER_PASSWORD}\n`,
    )
    expect(confirm.status, confirm.stderr).toBe(0)
    const codes = confirm.json().backupCodes as string[]

    const answers: (number | null)[][] = []
    for (const code of codes) {
      const racing = await Promise.all(
        [1, 2, 3].map(() =>
          runAsync(
            ['login', '--email', OWNER_EMAIL, '--backup-code', '-', '--json'],
            `${OWNER_PASSWORD}\n${code}\n`,
          ),
        ),
      )
      answers.push(racing.map((r) => r.status))
      // The losers count as failed second factors; cleared so that the next round starts unthrottled.
      const { db: store } = await openForTampering(db)
      await sqlRun(store, 'DELETE FROM login_throttle').finally(() => store.close())
    }
    const attempts = answers.flat().length
    const successes = answers.flat().filter((s) => s === 0).length
    expect({ attempts, successes }).toEqual({ attempts: 15, successes: 5 })
    // Every code: one success; the two others refused — the code is spent (exit 19; 21 once all five
    // are), or, arriving while a failure is being counted, throttled (exit 5). Never a second success.
    for (const a of answers) {
      expect(a.filter((x) => x === 0)).toHaveLength(1)
      for (const x of a.filter((y) => y !== 0)) expect([19, 5, 21]).toContain(x)
    }
    const used = auditEvents(db, env).filter((e) => e.type === '2fa.backup_code_used')
    expect(used.map((e) => e.data.slot).sort()).toEqual([1, 2, 3, 4, 5])
  })

  it('holds the login limiter across processes: a burst checks no more guesses than the policy allows', async () => {
    const burst = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        runAsync(['login', '--email', OWNER_EMAIL, '--json'], `Wrong-Password-${i}-xyz\n`),
      ),
    )
    const statuses = burst.map((r) => r.status)
    const checked = statuses.filter((s) => s === 3).length
    const refused = statuses.filter((s) => s === 5 || s === 4).length
    expect(checked + refused).toBe(12)
    // 3 failures before the first delay; the burst takes well under the 1 s + 2 s of delays after them,
    // so a fourth check is possible only if a process started a second late.
    expect(checked).toBeGreaterThanOrEqual(3)
    expect(checked).toBeLessThanOrEqual(4)
    const { db: store } = await openForTampering(db)
    try {
      // Every checked guess was counted, none lost to a race.
      expect(
        await sqlValue<number>(
          store,
          "SELECT consecutive_failures FROM login_throttle WHERE factor = 'password' AND user_id = 1",
        ),
      ).toBe(checked)
    } finally {
      await store.close()
    }
  })

  it('keeps one audit chain through a storm of appends from 8 processes', async () => {
    const before = auditEvents(db, env).length
    const storm = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        runAsync(
          [
            'users',
            'add',
            '--email',
            `storm.${i}@example.com`,
            '--name',
            `Storm ${i}`,
            '--role',
            'member',
            // As the key holder: eight sign-ins of one person at once would rightly be throttled.
            '--key-holder',
          ],
          `${DB_PASSPHRASE}\n`,
        ),
      ),
    )
    for (const r of storm) expect(r.status, r.stderr).toBe(0)
    const verify = run(['audit', 'verify', '--json'])
    expect(verify.status, verify.stderr).toBe(0)
    // Each add appends its own event (user.created) after the --as sign-in is checked.
    const events = auditEvents(db, env)
    expect(events.filter((e) => e.type === 'user.created')).toHaveLength(8)
    expect(verify.json()).toMatchObject({ ok: true, count: events.length })
    expect(events.length).toBeGreaterThanOrEqual(before + 8)
    const seqs = events.map((e) => e.seq)
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1))
    const check = run(['db', 'check', '--json'])
    expect(check.status, check.stderr).toBe(0)
  })

  describe('with Twilio', () => {
    let fake: FakeTwilio
    beforeEach(async () => {
      fake = await startFakeTwilio()
    })
    afterEach(() => fake.close())

    it('lets one of 3 processes sign in with the same SMS code, once', async () => {
      const NUMBER = '+34612345123'
      const config = await runAsync([...twilioConfigArgs(fake), ...AS_OWNER], ownerStdin(fake.authToken))
      expect(config.status, config.stderr).toBe(0)
      const enroll = await runAsync(
        ['2fa', 'enroll', '--email', OWNER_EMAIL, '--json'],
        `${OWNER_PASSWORD}\n`,
      )
      const secret = enroll.json().secret as string
      expect(
        (
          await runAsync(
            ['2fa', 'confirm', '--email', OWNER_EMAIL, '--code', oathtool(secret, Date.now())],
            `${OWNER_PASSWORD}\n`,
          )
        ).status,
      ).toBe(0)
      const set = await runAsync(
        [
          'phone',
          'set',
          '--email',
          OWNER_EMAIL,
          '--number',
          NUMBER,
          '--confirm-number',
          NUMBER,
          '--not-authenticator-phone',
        ],
        `${OWNER_PASSWORD}\n`,
      )
      expect(set.status, set.stderr).toBe(0)
      const verifyCode = /\b(\d{6})\b/.exec(fake.messages.at(-1)!.body)![1]!
      const verified = await runAsync(
        ['phone', 'verify', '--email', OWNER_EMAIL, '--code', '-'],
        `${OWNER_PASSWORD}\n${verifyCode}\n`,
      )
      expect(verified.status, verified.stderr).toBe(0)
      const sent = await runAsync(['login', '--email', OWNER_EMAIL, '--sms'], `${OWNER_PASSWORD}\n`)
      expect(sent.status, sent.stderr).toBe(0)
      const code = /\b(\d{6})\b/.exec(fake.messages.at(-1)!.body)![1]!
      const racing = await Promise.all(
        [1, 2, 3].map(() =>
          runAsync(['login', '--email', OWNER_EMAIL, '--sms-code', '-'], `${OWNER_PASSWORD}\n${code}\n`),
        ),
      )
      const statuses = racing.map((r) => r.status)
      expect(
        statuses.filter((x) => x === 0),
        racing.map((r) => r.stdout + r.stderr).join('\n'),
      ).toHaveLength(1)
      // Refused: spent (19), throttled (5), or, the authenticator being revoked by the winner, enroll (23).
      for (const x of statuses.filter((y) => y !== 0)) expect([19, 5, 23]).toContain(x)
      expect(auditEvents(db, env).filter((e) => e.type === 'login.sms_recovery')).toHaveLength(1)
    })

    it('sends each waiting message once while 3 processes work the outbox', async () => {
      const config = await runAsync([...twilioConfigArgs(fake), ...AS_OWNER], ownerStdin(fake.authToken))
      expect(config.status, config.stderr).toBe(0)
      const { db: store } = await openForTampering(db)
      try {
        const now = Date.now()
        for (let i = 0; i < 30; i++) {
          await insertSms(store, {
            to: `+3461234${String(5000 + i)}`,
            body: `Message ${i}`,
            displayText: `Message ${i}`,
            kind: 'test',
            userId: null,
            now,
          })
        }
      } finally {
        await store.close()
      }
      const workers = await Promise.all(
        [1, 2, 3].map(() => runAsync(['sms', 'outbox', '--deliver', '--json'])),
      )
      for (const w of workers) expect(w.status, w.stderr).toBe(0)
      const sent = workers.map((w) => (w.json().delivered as { sent: number }).sent)
      expect(sent.reduce((a, b) => a + b, 0)).toBe(30)
      // The provider received each message exactly once.
      const bodies = fake.messages.map((m) => m.body)
      expect(bodies).toHaveLength(30)
      expect(new Set(bodies).size).toBe(30)
      const { db: after } = await openForTampering(db)
      try {
        const rows = await sqlAll<{ status: string; provider_sid: string }>(
          after,
          "SELECT status, provider_sid FROM sms_outbox WHERE kind = 'test'",
        )
        expect(rows.every((r) => r.status === 'sent')).toBe(true)
        expect(new Set(rows.map((r) => r.provider_sid)).size).toBe(30)
      } finally {
        await after.close()
      }
    })
  })
  describe('recovery', () => {
    const PASSWORD = 'a long and private passphrase 7'
    const client = { via: 'cli', machine: 'test-setup' } as const
    /** Prepares state in this process, as earlier sessions of the owner and agents would have. */
    async function withServices<T>(fn: (s: Services) => Promise<T>): Promise<T> {
      const opened = await openForTampering(db)
      const services = buildServices(opened, {
        clock: systemClock,
        passwordPolicy: new PasswordPolicy(new Set()),
      })
      try {
        return await fn(services)
      } finally {
        await services.close()
      }
    }
    const addPerson = (s: Services, owner: SessionUser, role: Role, email: string) =>
      s.users
        .create({ email, name: email.split('@')[0]!, role, requireTwoFactor: false }, owner, client)
        .then(async (inv) => {
          await s.users.activate(email, inv.code!, PASSWORD, client)
          return { id: inv.userId, email, name: email.split('@')[0]!, role } satisfies SessionUser
        })
    const checks = ['callback_known_number', 'photo_id'] as const

    it('lets one of 3 processes sign in with a temporary access code, once', async () => {
      const code = await withServices(async (s) => {
        await s.policy.update({ recoveryCoolingOffMinutes: 0 }, null)
        const owner = toSessionUser((await listActiveOwners(s.db))[0]!)
        const mia = await addPerson(s, owner, 'member', 'mia@example.com')
        // Mia has an authenticator (which she lost): an access code is what recovers it.
        const start = await s.twoFactor.startEnrollment(mia, client)
        await s.twoFactor.confirmEnrollment(
          mia.id,
          await totpAt(
            { secret: fromBase32(start.secret), algorithm: 'sha1', digits: 6, period: 30 },
            Date.now(),
          ),
          client,
        )
        const { requestId } = await s.recovery.file(
          mia.id,
          { message: 'My phone was stolen on the train.', contact: 'Desk 4B, extension 2210' },
          client,
        )
        await s.recovery.check(requestId, { checks }, owner, client)
        await s.recovery.approve(requestId, undefined, owner, client)
        const issued = await s.recovery.issueCode(requestId, owner, client)
        if (issued.delivery !== 'agent') throw new Error('expected the code shown to the agent')
        return issued.code
      })
      const racing = await Promise.all(
        [1, 2, 3].map(() =>
          runAsync(['login', '--email', 'mia@example.com', '--access-code', '-'], `${PASSWORD}\n${code}\n`),
        ),
      )
      const statuses = racing.map((r) => r.status)
      expect(
        statuses.filter((x) => x === 0),
        racing.map((r) => r.stdout + r.stderr).join('\n'),
      ).toHaveLength(1)
      // The others: the code is spent (19), throttled while a failure is counted (5), or, once the winner
      // has revoked the old authenticator, the account has nothing left to recover but to enroll (23).
      for (const x of statuses.filter((y) => y !== 0)) expect([19, 5, 23]).toContain(x)
      const used = auditEvents(db, env).filter((e) => e.type === 'recovery.completed')
      expect(used).toHaveLength(1)
    })

    it('never lets two agents approving at the same moment both be the second approver', async () => {
      // Al approves first; Ann and Bob (neither created by Al, nor Al by them) then approve at once.
      const { requestId, ann, bob } = await withServices(async (s) => {
        await s.policy.update({ recoveryCoolingOffMinutes: 15 }, null)
        const owner = toSessionUser((await listActiveOwners(s.db))[0]!)
        const al = await addPerson(s, owner, 'admin', 'al.admin@example.com')
        const ann = await addPerson(s, owner, 'admin', 'ann.admin@example.com')
        const bob = await addPerson(s, owner, 'admin', 'bob.admin@example.com')
        const tom = await addPerson(s, owner, 'admin', 'tom.admin@example.com')
        return { al, ann, bob, tom, owner }
      }).then(async (people) => {
        // Approvers count only once they are older than 7 days.
        await ageAccounts(
          db,
          [OWNER_EMAIL, people.al, people.ann, people.bob, people.tom].map((p) =>
            typeof p === 'string' ? p : p.email,
          ),
        )
        const requestId = await withServices(async (s) => {
          const filed = await s.recovery.file(
            people.tom.id,
            { message: 'My phone was stolen on the train.', contact: 'Desk 4B, extension 2210' },
            client,
          )
          await s.recovery.check(filed.requestId, { checks }, people.al, client)
          await s.recovery.approve(filed.requestId, undefined, people.al, client)
          return filed.requestId
        })
        return { requestId, ann: people.ann, bob: people.bob }
      })
      const racing = await Promise.all(
        [ann, bob].map((agent) =>
          runAsync(
            ['recovery', 'approve', '--id', String(requestId), '--as', agent.email, '--json'],
            `${PASSWORD}\n`,
          ),
        ),
      )
      const statuses = racing.map((r) => r.status).sort()
      // One became the second approver; the other found the request already approved (exit 7).
      expect(statuses, racing.map((r) => r.stdout + r.stderr).join('\n')).toEqual([0, 7])
      const { db: store } = await openForTampering(db)
      try {
        expect(
          await sqlValue<number>(
            store,
            'SELECT count(*) FROM recovery_approvals WHERE request_id = ?',
            requestId,
          ),
        ).toBe(2)
        expect(
          await sqlValue<string>(store, 'SELECT status FROM recovery_requests WHERE id = ?', requestId),
        ).toBe('approved')
      } finally {
        await store.close()
      }
      const approvedEvents = auditEvents(db, env).filter((e) => e.type === 'recovery.approved')
      expect(approvedEvents).toHaveLength(1)
    })
  })
})
