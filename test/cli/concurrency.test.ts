import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { insertSms } from '../../src/main/db/queries/sms'
import { onPostgres } from '../fixtures/engine'
import { startFakeTwilio, type FakeTwilio } from '../fixtures/fake-twilio'
import { sqlAll, sqlRun, sqlValue } from '../fixtures/sql'
import { tempDir } from '../fixtures/temp'
import {
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
})
