import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
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
} from './helpers'

describe('tessera audit and db check', () => {
  let t: ReturnType<typeof tempDir>
  let db: string
  let env: NodeJS.ProcessEnv
  const run = (...args: string[]) => tessera(['--db', db, ...args], { env })

  /** Rewrites one event's data with raw SQL, as someone with the key and a SQLite shell could. */
  async function tamperWithEvent(seq: number): Promise<void> {
    const { db: raw } = await openForTampering(db)
    raw.exec('DROP TRIGGER audit_events_no_update')
    raw.prepare('UPDATE audit_events SET data = ? WHERE seq = ?').run('{"email":"mallory@example.com"}', seq)
    raw.close()
  }

  beforeAll(ensureCliBuilt)
  beforeEach(() => {
    t = tempDir()
    db = join(t.dir, 'tessera.db')
    env = initPassphraseDb(db)
    // A few more events: a success, a failure with the owner's password mistyped, a success.
    for (const password of [OWNER_PASSWORD, `${OWNER_PASSWORD}x`, OWNER_PASSWORD]) {
      tessera(['--db', db, 'login', '--email', OWNER_EMAIL], { input: `${password}\n`, env })
    }
  })
  afterEach(() => t.cleanup())
  afterAll(() => {
    for (const out of allOutput) expect(out).not.toContain(OWNER_PASSWORD)
    for (const out of allOutput) expect(out).not.toContain(DB_PASSPHRASE)
  })

  it('verifies an intact chain (exit 0) and names the first altered event once one is edited (exit 8)', async () => {
    const ok = run('audit', 'verify')
    expect(ok.status).toBe(0)
    expect(ok.stdout).toMatch(/^Audit chain intact: 4 events, head [0-9a-f]{64}\n$/)
    expect(run('audit', 'verify', '--json').json()).toMatchObject({ ok: true, count: 4 })

    await tamperWithEvent(3)
    const broken = run('audit', 'verify')
    expect(broken.status).toBe(8)
    expect(broken.stderr).toMatch(/Audit chain broken at event 3: event 3 was altered/)
    const json = run('audit', 'verify', '--json')
    expect(json.status).toBe(8)
    expect(json.json()).toMatchObject({
      error: { code: 'INTEGRITY', reason: 'AUDIT_CHAIN_BROKEN', firstBadSeq: 3 },
    })
  })

  it('exports JSON lines, one per event with its hashes, and no password', () => {
    const r = run('audit', 'export', '--format', 'jsonl')
    expect(r.status).toBe(0)
    const lines = r.stdout.trim().split('\n')
    expect(lines).toHaveLength(4)
    const events = lines.map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4])
    expect(events.map((e) => e.type)).toEqual([
      'setup.owner_created',
      'login.succeeded',
      'login.failed',
      'login.succeeded',
    ])
    for (const e of events) {
      expect(e.hash).toMatch(/^[0-9a-f]{64}$/)
      expect(e.prevHash).toMatch(/^[0-9a-f]{64}$/)
    }
    expect(events[1]?.prevHash).toBe(events[0]?.hash)
    expect(r.stdout).not.toContain(OWNER_PASSWORD)
  })

  it('exports CSV with a header, to a file with --output', () => {
    const out = join(t.dir, 'audit.csv')
    const r = run('audit', 'export', '--format', 'csv', '--output', out, '--json')
    expect(r.status).toBe(0)
    expect(r.json()).toEqual({ format: 'csv', output: out, events: 4 })
    const csv = readFileSync(out, 'utf8')
    const rows = csv.trim().split('\n')
    expect(rows[0]).toBe('seq,at,type,actor_id,subject_id,data,prev_hash,hash')
    expect(rows).toHaveLength(5)
    expect(csv).not.toContain(OWNER_PASSWORD)
    const toStdout = run('audit', 'export', '--format', 'csv')
    expect(toStdout.stdout).toBe(csv)
  })

  it('refuses an unknown format and an unwritable output', () => {
    expect(run('audit', 'export', '--format', 'xml').status).toBe(2)
    expect(run('audit', 'export').status).toBe(2)
    const r = run('audit', 'export', '--format', 'jsonl', '--output', join(t.dir, 'no/such/dir/a.jsonl'))
    expect(r.status).toBe(18)
    expect(existsSync(join(t.dir, 'no'))).toBe(false)
  })

  it('db check passes on a sound database and fails (exit 8) once the audit trail is edited', async () => {
    const ok = run('db', 'check')
    expect(ok.status).toBe(0)
    for (const name of ['open', 'integrity_check', 'foreign_key_check', 'audit_chain']) {
      expect(ok.stdout).toMatch(new RegExp(`^ok\\s+${name}`, 'm'))
    }
    await tamperWithEvent(2)
    const bad = run('db', 'check')
    expect(bad.status).toBe(8)
    expect(bad.stdout).toMatch(/^ok\s+integrity_check/m)
    expect(bad.stdout).toMatch(/^FAIL\s+audit_chain\s+Audit chain broken at event 2/m)
    const json = run('db', 'check', '--json')
    expect(json.status).toBe(8)
    const error = json.json().error as { reason: string; checks: { name: string; ok: boolean }[] }
    expect(error.reason).toBe('DB_CHECK_FAILED')
    expect(error.checks.filter((c) => !c.ok).map((c) => c.name)).toEqual(['audit_chain'])
  })
})
