import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { OWNER, startBackend } from '../../../test/fixtures/harness'
import { allowAuditTampering, sqlAll, sqlRun } from '../../../test/fixtures/sql'
import { canonicalJson } from './canonical-json'
import { GENESIS_HASH } from './audit'

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
