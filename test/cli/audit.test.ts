import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { tempDir } from '../fixtures/temp'
import { allowAuditTampering, sqlAll, sqlRun } from '../fixtures/sql'
import { eventHash } from '../../src/main/core/audit'
import {
  allOutput,
  AS_OWNER,
  DB_PASSPHRASE,
  ensureCliBuilt,
  initPassphraseDb,
  KEY_HOLDER,
  keyHolderStdin,
  openForTampering,
  OWNER_EMAIL,
  OWNER_PASSWORD,
  ownerStdin,
  tessera,
} from './helpers'

describe('tessera audit and db check', () => {
  let t: ReturnType<typeof tempDir>
  let db: string
  let env: NodeJS.ProcessEnv
  const run = (...args: string[]) => tessera(['--db', db, ...args], { env })
  /** Exports need someone: the owner (--as, password on stdin) or the key holder (the passphrase). */
  const asOwner = (...args: string[]) =>
    tessera(['--db', db, ...args, ...AS_OWNER], { env, input: ownerStdin() })
  const asKeyHolder = (...args: string[]) =>
    tessera(['--db', db, ...args, ...KEY_HOLDER], { env, input: keyHolderStdin() })

  /** Rewrites one event's data with raw SQL, as someone with the key and a SQLite shell could. */
  async function tamperWithEvent(seq: number): Promise<void> {
    const { db: raw } = await openForTampering(db)
    await allowAuditTampering(raw)
    await sqlRun(
      raw,
      'UPDATE audit_events SET data = ? WHERE seq = ?',
      '{"email":"mallory@example.com"}',
      seq,
    )
    await raw.close()
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
    const r = asOwner('audit', 'export', '--format', 'jsonl')
    expect(r.status, r.stderr).toBe(0)
    const lines = r.stdout.trim().split('\n')
    // The owner's own sign-in for --as comes first, so the export includes it.
    expect(lines).toHaveLength(5)
    const events = lines.map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5])
    expect(events.map((e) => e.type)).toEqual([
      'setup.owner_created',
      'login.succeeded',
      'login.failed',
      'login.succeeded',
      'login.succeeded',
    ])
    expect(events[4]).toMatchObject({ actorId: 1, data: { via: 'cli', method: 'password' } })
    for (const e of events) {
      expect(e.hash).toMatch(/^[0-9a-f]{64}$/)
      expect(e.prevHash).toMatch(/^[0-9a-f]{64}$/)
    }
    expect(events[1]?.prevHash).toBe(events[0]?.hash)
    expect(r.stdout).not.toContain(OWNER_PASSWORD)
  })

  it('exports CSV with a header, to a file with --output', () => {
    const out = join(t.dir, 'audit.csv')
    // The key holder signs nobody in: the trail stays at 4 events. It is warned about, on stderr.
    const r = asKeyHolder('audit', 'export', '--format', 'csv', '--output', out, '--json')
    expect(r.status, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/^Warning: acting as the KEY HOLDER/)
    expect(r.json()).toEqual({ format: 'csv', output: out, events: 4 })
    const csv = readFileSync(out, 'utf8')
    const rows = csv.trim().split('\n')
    expect(rows[0]).toBe('seq,at,type,actor_id,subject_id,data,prev_hash,hash')
    expect(rows).toHaveLength(5)
    expect(csv).not.toContain(OWNER_PASSWORD)
    const toStdout = asKeyHolder('audit', 'export', '--format', 'csv')
    expect(toStdout.stdout).toBe(csv)
  })

  it('refuses an unknown format, an unwritable output, and an export by nobody or with the wrong key', () => {
    expect(asOwner('audit', 'export', '--format', 'xml').status).toBe(2)
    expect(asOwner('audit', 'export').status).toBe(2)
    const r = asOwner('audit', 'export', '--format', 'jsonl', '--output', join(t.dir, 'no/such/dir/a.jsonl'))
    expect(r.status).toBe(18)
    expect(existsSync(join(t.dir, 'no'))).toBe(false)
    const nobody = run('audit', 'export', '--format', 'jsonl', '--json')
    expect(nobody.status).toBe(2)
    expect(nobody.json()).toMatchObject({ error: { code: 'USAGE', reason: 'WHO_ARE_YOU' } })
    const wrongKey = tessera(['--db', db, 'audit', 'export', '--format', 'jsonl', ...KEY_HOLDER], {
      env,
      input: 'not the database passphrase\n',
    })
    expect(wrongKey.status).toBe(11)
    expect(wrongKey.stderr).toMatch(/--key-holder: that is not this database's key/)
    expect(wrongKey.stdout).toBe('')
  })

  it('db check passes on a sound database and fails (exit 8) once the audit trail is edited', async () => {
    const ok = run('db', 'check')
    expect(ok.status).toBe(0)
    for (const name of ['open', 'integrity_check', 'foreign_key_check', 'audit_chain']) {
      expect(ok.stdout).toMatch(new RegExp(`^ok\\s+${name}`, 'm'))
    }
    await tamperWithEvent(2)
    const bad = run('db', 'check')
    expect(bad.status, bad.stderr).toBe(8)
    expect(bad.stdout).toMatch(/^ok\s+integrity_check/m)
    expect(bad.stdout).toMatch(/^FAIL\s+audit_chain\s+Audit chain broken at event 2/m)
    const json = run('db', 'check', '--json')
    expect(json.status).toBe(8)
    const error = json.json().error as { reason: string; checks: { name: string; ok: boolean }[] }
    expect(error.reason).toBe('DB_CHECK_FAILED')
    expect(error.checks.filter((c) => !c.ok).map((c) => c.name)).toEqual(['audit_chain'])
  })

  /** What a key holder can do: change event `seq` and re-hash every event after it, checkpoint and all. */
  async function rewriteChainFrom(seq: number): Promise<void> {
    const { db: raw } = await openForTampering(db)
    await allowAuditTampering(raw)
    type Row = {
      seq: number
      at: number
      type: string
      actor_id: number | null
      subject_id: number | null
      data: string
      prev_hash: string
    }
    const rows = await sqlAll<Row>(raw, 'SELECT * FROM audit_events WHERE seq >= ? ORDER BY seq', seq)
    let prev = rows[0]!.prev_hash
    for (const r of rows) {
      const data = r.seq === seq ? '{"email":"mallory@example.com"}' : r.data
      const hash = eventHash(prev, {
        seq: Number(r.seq),
        at: Number(r.at),
        type: r.type,
        actorId: r.actor_id === null ? null : Number(r.actor_id),
        subjectId: r.subject_id === null ? null : Number(r.subject_id),
        data,
      })
      await sqlRun(
        raw,
        'UPDATE audit_events SET data = ?, prev_hash = ?, hash = ? WHERE seq = ?',
        data,
        prev,
        hash,
        r.seq,
      )
      prev = hash
    }
    await sqlRun(raw, `DELETE FROM settings WHERE key = 'audit.verifiedCheckpoint'`)
    await raw.close()
  }

  it('anchors the head to a file, proves the log extends it, and names where a re-hashed chain departs', async () => {
    const file = join(t.dir, 'anchor.json')
    const r = asKeyHolder('audit', 'anchor', '--output', file, '--json')
    expect(r.status, r.stderr).toBe(0)
    const anchor = JSON.parse(readFileSync(file, 'utf8')) as { seq: number; hash: string; databaseId: string }
    // After the four events of beforeEach (the key holder signs nobody in), the anchoring itself.
    expect(r.json()).toMatchObject({ anchor: { seq: anchor.seq, hash: anchor.hash }, output: file })
    expect(anchor.seq).toBeGreaterThanOrEqual(2)
    expect(readFileSync(file, 'utf8')).not.toContain(DB_PASSPHRASE)
    // An anchor already there is evidence: kept unless --force.
    expect(asKeyHolder('audit', 'anchor', '--output', file).status).toBe(2)

    const ok = run('audit', 'verify', '--anchor', file)
    expect(ok.status, ok.stderr).toBe(0)
    expect(ok.stdout).toContain(`It extends the anchor at event ${anchor.seq} (${anchor.hash}) unchanged`)

    await rewriteChainFrom(2)
    expect(run('audit', 'verify').status).toBe(0)
    const bad = run('audit', 'verify', '--anchor', file, '--json')
    expect(bad.status).toBe(8)
    expect(bad.json()).toMatchObject({
      error: { code: 'INTEGRITY', reason: 'AUDIT_CHAIN_BROKEN', firstBadSeq: 2 },
    })
  })
})
