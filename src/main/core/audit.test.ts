import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { OWNER, startBackend } from '../../../test/fixtures/harness'
import { allowAuditTampering, sqlAll, sqlRun } from '../../../test/fixtures/sql'
import { canonicalJson } from './canonical-json'
import { AuditLog, eventHash, GENESIS_HASH } from './audit'
import { checkRangesInWorkers, joinRanges, splitRange } from './audit-verify'

describe('canonical JSON', () => {
  it('sorts keys at every depth and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[3,{"y":2,"z":1}]},"b":1}',
    )
  })
})

async function collect(lines: AsyncIterable<string>): Promise<string> {
  let text = ''
  for await (const line of lines) text += line
  return text
}

describe('audit trail', () => {
  let h: Awaited<ReturnType<typeof startBackend>>
  beforeEach(async () => {
    h = await startBackend()
    await h.setup()
  })
  afterEach(() => h.cleanup())

  it('chains each event to the one before it and verifies', async () => {
    const { audit, db } = h.backend.services()
    await audit.append({ type: 'test.one', data: { slot: 1 } })
    await audit.append({ type: 'test.two', data: { nested: { b: 2, a: 1 } } })
    const rows = await sqlAll<{ seq: number; prev_hash: string; hash: string }>(
      db,
      'SELECT seq, prev_hash, hash FROM audit_events ORDER BY seq',
    )
    expect(rows[0]!.prev_hash).toBe(GENESIS_HASH)
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash)
    expect(await audit.verify()).toEqual({ ok: true, count: rows.length, headHash: rows.at(-1)!.hash })
  })

  it('chains events appended one by one inside one transaction, and rolled back ones leave no gap', async () => {
    const { audit, db } = h.backend.services()
    const before = await audit.count()
    await db.transaction(async () => {
      await audit.append({ type: 'test.one' })
      await audit.appendHistory([
        { type: 'test.two', at: 1 },
        { type: 'test.three', at: 2 },
      ])
      await audit.append({ type: 'test.four' })
    })
    await expect(
      db.transaction(async () => {
        await audit.append({ type: 'test.lost' })
        throw new Error('rolled back')
      }),
    ).rejects.toThrow('rolled back')
    await audit.append({ type: 'test.five' })
    const types = await sqlAll<{ seq: number; type: string }>(
      db,
      'SELECT seq, type FROM audit_events WHERE seq > ? ORDER BY seq',
      before,
    )
    expect(types).toEqual(
      ['test.one', 'test.two', 'test.three', 'test.four', 'test.five'].map((type, i) => ({
        seq: before + 1 + i,
        type,
      })),
    )
    expect(await audit.verify('full')).toMatchObject({ ok: true, count: before + 5 })
  })

  it('is append-only in the database itself', async () => {
    const { db } = h.backend.services()
    await expect(sqlRun(db, "UPDATE audit_events SET type = 'x' WHERE seq = 1")).rejects.toThrow(
      /append-only/,
    )
    await expect(sqlRun(db, 'DELETE FROM audit_events WHERE seq = 1')).rejects.toThrow(/append-only/)
  })

  it('reports the first altered, missing or relinked event', async () => {
    const { audit, db } = h.backend.services()
    for (let i = 0; i < 5; i++) await audit.append({ type: 'test.event', data: { i } })
    await allowAuditTampering(db)
    await sqlRun(db, `UPDATE audit_events SET data = '{"i":99}' WHERE seq = 4`)
    expect(await audit.verify()).toMatchObject({ ok: false, firstBadSeq: 4 })
    await sqlRun(db, `UPDATE audit_events SET data = '{"i":2}' WHERE seq = 4`)
    expect((await audit.verify()).ok).toBe(true)
    await sqlRun(db, 'DELETE FROM audit_events WHERE seq = 3')
    expect(await audit.verify()).toMatchObject({ ok: false, firstBadSeq: 3, reason: 'event 3 is missing' })
  })

  it('refuses to record anything named like a secret', async () => {
    const { audit } = h.backend.services()
    const before = await audit.count()
    await expect(audit.append({ type: 'bad', data: { password: 'x' } })).rejects.toThrow(/secret/)
    for (const key of ['backup_code', 'code', 'authToken', 'apiKey', 'totpSecret', 'newPassword', 'pin']) {
      await expect(audit.append({ type: 'bad', data: { detail: { [key]: 'x' } } })).rejects.toThrow(/secret/)
    }
    await audit.append({ type: 'fine', data: { slot: 3, reason: 'wrong_code', consecutiveFailures: 2 } })
    expect(await audit.count()).toBe(before + 1)
  })

  it('rolls the event back with the change it records', async () => {
    const { audit, db } = h.backend.services()
    const before = await audit.count()
    await expect(
      db.transaction(async () => {
        await audit.append({ type: 'test.rolled_back' })
        throw new Error('the change failed')
      }),
    ).rejects.toThrow('the change failed')
    expect(await audit.count()).toBe(before)
  })

  it('exports JSON lines and CSV with hashes and without the password', async () => {
    const { audit } = h.backend.services()
    const jsonl = await collect(audit.export('jsonl'))
    const lines = jsonl.trim().split('\n')
    expect(lines).toHaveLength(await audit.count())
    const first = JSON.parse(lines[0]!) as { seq: number; type: string; hash: string; prevHash: string }
    expect(first).toMatchObject({ seq: 1, type: 'setup.owner_created', prevHash: GENESIS_HASH })
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/)
    const csv = await collect(audit.export('csv'))
    expect(csv.split('\n')[0]).toBe('seq,at,type,actor_id,subject_id,data,prev_hash,hash')
    expect(jsonl + csv).not.toContain(OWNER.password)
  })

  it('pages newest first by sequence number', async () => {
    const { audit } = h.backend.services()
    for (let i = 0; i < 7; i++) await audit.append({ type: 'test.page', data: { i } })
    const total = await audit.count()
    const first = await audit.list(undefined, 5)
    expect(first.events.map((e) => e.seq)).toEqual([total, total - 1, total - 2, total - 3, total - 4])
    const second = await audit.list(first.nextBefore!, 5)
    expect(second.events[0]!.seq).toBe(total - 5)
  })
})

describe('audit verification in parallel, from a checkpoint, and against an anchor', () => {
  let h: Awaited<ReturnType<typeof startBackend>>
  let owner: Awaited<ReturnType<typeof h.setup>>
  const client = { via: 'desktop', machine: 'test' } as const
  beforeEach(async () => {
    tamperingAllowed = false
    h = await startBackend()
    owner = await h.setup()
    // 30 events in all: three ranges of ten when split three ways.
    const { audit } = h.backend.services()
    const have = await audit.count()
    await audit.appendHistory(
      Array.from({ length: 30 - have }, (_, i) => ({ type: 'test.event', at: 1_000 + i, data: { i } })),
    )
  })
  afterEach(() => h.cleanup())

  /** The same chain checked three ways: in three worker threads (on the file), three ranges here, one walk. */
  function verifiers() {
    const { db, opened } = h.backend.services()
    const threads = { parallelFrom: 1, threads: 3 }
    return {
      parallel: new AuditLog(db, h.clock, {
        ...(opened.chainFile ? { chainFile: opened.chainFile } : {}),
        parallel: threads,
      }),
      ranges: new AuditLog(db, h.clock, { parallel: threads }),
      sequential: new AuditLog(db, h.clock, { parallel: { parallelFrom: Infinity, threads: 1 } }),
    }
  }

  async function expectEveryWay(expected: Record<string, unknown>): Promise<void> {
    for (const [how, log] of Object.entries(verifiers())) {
      expect({ how, result: await log.verify('full') }).toEqual({ how, result: expected })
    }
  }

  let tamperingAllowed = false
  async function tamper(sqlText: string, ...params: unknown[]): Promise<void> {
    const { db } = h.backend.services()
    if (!tamperingAllowed) await allowAuditTampering(db)
    tamperingAllowed = true
    await sqlRun(db, sqlText, ...params)
  }

  it('gives the same verdict as the sequential walk: intact, then altered in the middle', async () => {
    const head = await h.backend.services().audit.headHash()
    await expectEveryWay({ ok: true, count: 30, headHash: head })
    // On the file, the workers themselves answer (no quiet fallback to this thread).
    const file = h.backend.services().opened.chainFile
    if (file) {
      expect(await checkRangesInWorkers(file, splitRange(1, 30, 2))).toMatchObject([
        { from: 1, to: 15, firstPrev: GENESIS_HASH, bad: null },
        { from: 16, to: 30, lastHash: head, bad: null },
      ])
      // Two threads sharing seven ranges: each range checked once, the results in the ranges' order.
      const shared = await checkRangesInWorkers(file, splitRange(1, 30, 7), 2)
      expect(shared.map((r) => [r.from, r.to, r.bad])).toEqual(
        splitRange(1, 30, 7).map(([from, to]) => [from, to, null]),
      )
      expect(joinRanges(shared, GENESIS_HASH)).toEqual({ ok: true, count: 30, headHash: head })
    }
    await tamper(`UPDATE audit_events SET data = '{"i":99}' WHERE seq = 15`)
    await expectEveryWay({
      ok: false,
      count: 14,
      firstBadSeq: 15,
      reason: 'event 15 was altered after it was written',
    })
  })

  it('finds an altered event and a broken link at a range boundary', async () => {
    await tamper(`UPDATE audit_events SET data = '{"i":99}' WHERE seq = 21`)
    await expectEveryWay({
      ok: false,
      count: 20,
      firstBadSeq: 21,
      reason: 'event 21 was altered after it was written',
    })
    await tamper(`UPDATE audit_events SET prev_hash = ? WHERE seq = 11`, GENESIS_HASH)
    await expectEveryWay({
      ok: false,
      count: 10,
      firstBadSeq: 11,
      reason: 'event 11 does not link to the event before it',
    })
  })

  it('finds a deleted event at the end of a range and at the start of the next', async () => {
    await tamper('DELETE FROM audit_events WHERE seq = 21')
    await expectEveryWay({ ok: false, count: 20, firstBadSeq: 21, reason: 'event 21 is missing' })
    await tamper('DELETE FROM audit_events WHERE seq = 20')
    await expectEveryWay({ ok: false, count: 19, firstBadSeq: 20, reason: 'event 20 is missing' })
  })

  it('checks only what follows the verified checkpoint, once that event still has its hash', async () => {
    const { audit } = h.backend.services()
    expect(await audit.verify('full')).toMatchObject({ ok: true, count: 30 })
    expect(await audit.checkpoint()).toEqual({ seq: 30, hash: await audit.headHash() })
    for (let i = 0; i < 3; i++) await audit.append({ type: 'test.later', data: { i } })
    expect(await audit.verify('routine')).toMatchObject({ ok: true, count: 33, checkedFrom: 30 })
    expect((await audit.checkpoint())?.seq).toBe(33)

    // The routine check trusts what it verified before; the full check does not.
    await tamper(`UPDATE audit_events SET data = '{"i":99}' WHERE seq = 12`)
    expect(await audit.verify('routine')).toMatchObject({ ok: true, count: 33, checkedFrom: 33 })
    expect(await audit.verify('full')).toMatchObject({ ok: false, firstBadSeq: 12 })
    // An altered checkpoint event sends the routine check back to the first event.
    await tamper(`UPDATE audit_events SET data = '{"i":2}' WHERE seq = 12`)
    await tamper(`UPDATE audit_events SET data = '{"i":99}' WHERE seq = 33`)
    expect(await audit.verify('routine')).toMatchObject({
      ok: false,
      firstBadSeq: 33,
      reason: 'event 33 was altered after it was written',
    })
  })

  /** What a key holder can do: change an early event and re-hash every event after it. */
  async function rewriteFrom(seq: number, data: string): Promise<void> {
    const { db } = h.backend.services()
    if (!tamperingAllowed) await allowAuditTampering(db)
    tamperingAllowed = true
    const rows = await sqlAll<AuditRowShape>(
      db,
      'SELECT * FROM audit_events WHERE seq >= ? ORDER BY seq',
      seq,
    )
    let prev = rows[0]!.prev_hash
    for (const r of rows) {
      const changed = r.seq === seq ? data : r.data
      const hash = eventHash(prev, {
        seq: r.seq,
        at: Number(r.at),
        type: r.type,
        actorId: r.actor_id === null ? null : Number(r.actor_id),
        subjectId: r.subject_id === null ? null : Number(r.subject_id),
        data: changed,
      })
      await sqlRun(
        db,
        'UPDATE audit_events SET data = ?, prev_hash = ?, hash = ? WHERE seq = ?',
        changed,
        prev,
        hash,
        r.seq,
      )
      prev = hash
    }
    // The checkpoint is in the database too: a key holder rewrites it as well.
    await sqlRun(db, `DELETE FROM settings WHERE key = 'audit.verifiedCheckpoint'`)
  }

  it('catches a chain rewritten and re-hashed by a key holder, naming the first rewritten event', async () => {
    const { audit, auditAnchors } = h.backend.services()
    const { anchor, text } = await auditAnchors.anchor('file', owner, client)
    expect(JSON.parse(text)).toEqual(anchor)
    expect(anchor).toMatchObject({ seq: 31, hash: await audit.headHash() })
    await audit.append({ type: 'test.after_anchor' })
    expect(await auditAnchors.check(anchor)).toMatchObject({ ok: true, count: 32, anchor: { seq: 31 } })

    await rewriteFrom(3, '{"email":"mallory@example.com"}')
    // The chain alone verifies: nothing inside the database tells the rewrite apart.
    expect((await audit.verify('full')).ok).toBe(true)
    expect(await auditAnchors.check(anchor)).toMatchObject({
      ok: false,
      firstBadSeq: 3,
      reason: 'event 3 is not the one recorded earlier: the chain was rewritten from event 3 on',
    })
  })

  it('catches a log cut short of the anchor, and refuses an anchor of another database', async () => {
    const { auditAnchors } = h.backend.services()
    const { anchor } = await auditAnchors.anchor('file', owner, client)
    await tamper('DELETE FROM audit_events WHERE seq >= 29')
    await sqlRun(h.backend.services().db, `DELETE FROM settings WHERE key = 'audit.verifiedCheckpoint'`)
    expect(await auditAnchors.check(anchor)).toMatchObject({
      ok: false,
      firstBadSeq: 29,
      reason: 'event 29 is missing: the log ends at event 28, but had reached event 31',
    })
    await expect(auditAnchors.check({ ...anchor, databaseId: 'another' })).rejects.toThrow(/another database/)
  })

  it('names the span of a rewrite from the marks of a longer anchor; sends an anchor to the owners', async () => {
    const { audit, auditAnchors } = h.backend.services()
    await audit.appendHistory(
      Array.from({ length: 600 }, (_, i) => ({ type: 'test.more', at: 5_000 + i, data: { i } })),
    )
    const { anchor, sentTo } = await auditAnchors.anchor('owners', owner, client)
    expect(sentTo).toBe(1)
    expect(anchor.marks?.every).toBe(3)
    const event = (await audit.list(anchor.seq + 1, 1)).events[0]
    expect(event).toMatchObject({ seq: anchor.seq, actorId: owner.id, data: { to: 'owners', owners: 1 } })
    expect(JSON.stringify(event!.data)).not.toContain(anchor.hash)

    await rewriteFrom(100, '{"i":-1}')
    expect(await auditAnchors.check(anchor)).toMatchObject({
      ok: false,
      firstBadSeq: 102,
      reason:
        'event 102 is not the one recorded earlier: the chain was rewritten from an event between 100 and 102 (event 99 still matches)',
    })
  })

  it('lets only an owner anchor, and refuses to anchor a broken chain', async () => {
    const { auditAnchors } = h.backend.services()
    await expect(auditAnchors.anchor('file', { ...owner, role: 'admin' }, client)).rejects.toThrow(
      /Only an owner/,
    )
    await tamper(`UPDATE audit_events SET data = '{"i":99}' WHERE seq = 5`)
    await expect(auditAnchors.anchor('file', owner, client)).rejects.toThrow(/broken at event 5/)
  })
})

interface AuditRowShape {
  seq: number
  at: number
  type: string
  actor_id: number | null
  subject_id: number | null
  data: string
  prev_hash: string
  hash: string
}
