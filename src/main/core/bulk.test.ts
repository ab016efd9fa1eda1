import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startBackend } from '../../../test/fixtures/harness'
import { sqlAll, sqlValue } from '../../../test/fixtures/sql'
import type { SessionUser } from '../../shared/dto'
import type { Role } from '../../shared/schemas'
import { AppError } from '../../shared/result'
import { onPostgres } from '../../../test/fixtures/engine'
import { KEY_HOLDER } from './actor'
import { BULK_BATCH } from './bulk'
import { parseCsv } from './csv'
import type { Services } from './services'

const CLIENT = { via: 'desktop', machine: 'test-machine' } as const
const HEADER = 'email,name,role,require_2fa\r\n'
const csvRows = (text: string): string[][] =>
  parseCsv(text)
    .map((r) => r.cells)
    .filter((c) => c.length > 1)

describe('bulk actions on users', () => {
  let h: Awaited<ReturnType<typeof startBackend>>
  let owner: SessionUser
  let s: Services
  beforeEach(async () => {
    h = await startBackend()
    owner = await h.setup()
    s = h.backend.services()
  })
  afterEach(() => h.cleanup())

  /** A person as a signed-in actor would be, created by the owner (2FA not required). */
  const person = async (email: string, role: Role): Promise<SessionUser> => {
    const inv = await s.users.create(
      { email, name: email.split('@')[0]!, role, requireTwoFactor: false },
      owner,
      CLIENT,
    )
    return { id: inv.userId, email, name: email.split('@')[0]!, role }
  }
  /** Many invited members at once, through the CSV import (fast: one transaction per 5,000). */
  const members = async (n: number, prefix = 'm'): Promise<void> => {
    const rows = Array.from({ length: n }, (_, i) => `${prefix}${i}@example.com,Member ${i},member,no`)
    const begun = await s.userImport.begin(`${HEADER}${rows.join('\r\n')}\r\n`, owner)
    await s.userImport.next(begun.importId!, 5000, owner, CLIENT)
  }
  const required = (email: string) =>
    sqlValue<number>(s.db, 'SELECT require_2fa FROM users WHERE email = ?', email).then(Number)
  const run = async (...args: Parameters<Services['bulk']['start']>) => {
    const started = await s.bulk.start(...args)
    await s.bulk.settled(started.jobId)
    return s.bulk.progress(started.jobId, args[2])
  }
  const events = (type: string) =>
    sqlAll<{ actor_id: number | null; subject_id: number | null; data: string }>(
      s.db,
      'SELECT actor_id, subject_id, data FROM audit_events WHERE type = ? ORDER BY seq',
      type,
    )

  it("an admin's bulk action acts on members and admins, skips owners by the rules, and audits each person", async () => {
    const admin = await person('admin@example.com', 'admin')
    await person('admin2@example.com', 'admin')
    await person('owner2@example.com', 'owner')
    await person('agent@example.com', 'support')
    await members(5)

    const preview = await s.bulk.preview({ kind: 'matching' }, 'require-2fa', admin)
    expect(preview).toEqual({
      total: 10,
      willAct: 8,
      skipped: [{ reason: 'Only an owner can change the 2FA requirement of an owner.', count: 2 }],
    })

    const result = await run({ kind: 'matching' }, 'require-2fa', admin, CLIENT)
    expect(result).toMatchObject({ finished: true, total: 10, processed: 10, done: 8, failed: [] })
    expect(result.skipped).toEqual(preview.skipped)
    expect(await required('owner@example.com')).toBe(0)
    expect(await required('owner2@example.com')).toBe(0)
    for (const email of [
      'admin@example.com',
      'admin2@example.com',
      'agent@example.com',
      'm0@example.com',
      'm4@example.com',
    ])
      expect(await required(email)).toBe(1)

    // Each person acted on has the single action's own event, naming the actor and the bulk run.
    const each = await events('user.2fa_required')
    expect(each).toHaveLength(8)
    expect(new Set(each.map((e) => e.actor_id))).toEqual(new Set([admin.id]))
    expect(new Set(each.map((e) => JSON.parse(e.data).bulkId))).toEqual(new Set([result.jobId]))
    const [started] = await events('users.bulk_started')
    expect(JSON.parse(started!.data)).toMatchObject({
      action: 'require-2fa',
      count: 10,
      target: { kind: 'matching' },
    })
    const [finished] = await events('users.bulk_finished')
    expect(JSON.parse(finished!.data)).toMatchObject({ done: 8, skipped: 2, failed: 0 })

    // Run again: nothing left to do, and the reason says so.
    const again = await run({ kind: 'matching', role: 'member' }, 'require-2fa', admin, CLIENT)
    expect(again).toMatchObject({
      total: 5,
      done: 0,
      skipped: [{ reason: '2FA is already required', count: 5 }],
    })
  })

  it('a support agent cannot run, preview or watch a bulk action (attack)', async () => {
    const agent = await person('agent@example.com', 'support')
    await members(3)
    const before = Number(await sqlValue(s.db, 'SELECT count(*) FROM audit_events'))
    for (const attempt of [
      () => s.bulk.start({ kind: 'matching' }, 'require-2fa', agent, CLIENT),
      () => s.bulk.start({ kind: 'ids', ids: [owner.id] }, 'disable', agent, CLIENT),
      () => s.bulk.preview({ kind: 'matching' }, 'export', agent),
    ]) {
      await expect(attempt()).rejects.toMatchObject({ code: 'FORBIDDEN' })
    }
    expect(Number(await sqlValue(s.db, 'SELECT count(*) FROM users WHERE require_2fa = 1'))).toBe(0)
    expect(Number(await sqlValue(s.db, 'SELECT count(*) FROM audit_events'))).toBe(before)

    // Someone else's job is not theirs to read (its result may hold invitation codes).
    const job = await s.bulk.start({ kind: 'matching', role: 'member' }, 'resend-invitation', owner, CLIENT)
    await s.bulk.settled(job.jobId)
    expect(() => s.bulk.progress(job.jobId, agent)).toThrow(AppError)
  })

  it('runs in batches of 500 transactions, and gives re-sent codes once, never to the audit trail', async () => {
    await members(1100)
    const before = s.db.transactionsBegun
    const result = await run(
      { kind: 'matching', filter: 'invited', role: 'member' },
      'resend-invitation',
      owner,
      CLIENT,
    )
    // Three batches, plus the two summary events: not one transaction per person.
    expect(s.db.transactionsBegun - before).toBeLessThanOrEqual(6)
    expect(result).toMatchObject({ total: 1100, done: 1100, skipped: [], failed: [] })
    const rows = csvRows(result.invitationsCsv!)
    expect(rows[0]).toEqual(['email', 'name', 'role', 'invitation_code', 'expires_at'])
    expect(rows).toHaveLength(1101)
    const code = rows[1]![3]!
    // Shown once: main's memory lets them go (the database holds them until they are confirmed saved).
    const started = result.jobId
    expect(s.bulk.progress(started, owner).invitationsCsv).toBeNull()
    const resent = await events('user.invitation_resent')
    expect(resent).toHaveLength(1100)
    const audit = (await sqlAll<{ data: string }>(s.db, 'SELECT data FROM audit_events'))
      .map((r) => r.data)
      .join('\n')
    expect(audit).not.toContain(code)
    // The new code is the one that works.
    const { user } = await s.users.activate(rows[1]![0]!, code, 'quiet-orchard-ladder-93', CLIENT)
    expect(user.email).toBe(rows[1]![0])
    // 1,100 people, each with their own audit event: on a shared server that takes a while.
  }, 120_000)

  it('keeps re-sent codes through a crash after some batches, offers them again, and erases them once saved', async () => {
    await members(1100)
    const hashes = async () =>
      new Map(
        (
          await sqlAll<{ user_id: number; code_hash: string }>(
            s.db,
            'SELECT user_id, code_hash FROM invitations',
          )
        ).map((r) => [Number(r.user_id), r.code_hash]),
      )
    const before = await hashes()
    const started = await s.bulk.start(
      { kind: 'matching', filter: 'invited', role: 'member' },
      'resend-invitation',
      owner,
      CLIENT,
    )
    // While it runs, the console does not call it interrupted.
    const resends = async (svc: Services) =>
      (await svc.userImport.unfinished(owner)).filter((r) => r.kind === 'resend')
    expect(await resends(s)).toEqual([])
    // The process dies once a batch has committed: no hand-over ever happens.
    while (s.bulk.progress(started.jobId, owner).processed < BULK_BATCH)
      await new Promise((resolve) => setImmediate(resolve))
    await h.backend.close()
    await s.bulk.settled(started.jobId)

    const second = await h.restart()
    try {
      if (second.phase === 'needs-db-passphrase') await second.unlockDatabase('database passphrase for tests')
      const s2 = second.services()
      const after = new Map(
        (
          await sqlAll<{ user_id: number; code_hash: string }>(
            s2.db,
            'SELECT user_id, code_hash FROM invitations',
          )
        ).map((r) => [Number(r.user_id), r.code_hash]),
      )
      const replaced = [...after].filter(([id, hash]) => before.get(id) !== hash).map(([id]) => id)
      expect(replaced.length).toBeGreaterThanOrEqual(BULK_BATCH)
      expect(replaced.length).toBeLessThan(1100)

      const [offer] = await resends(s2)
      expect(offer).toMatchObject({
        importId: started.jobId,
        kind: 'resend',
        total: 1100,
        finished: false,
        pendingCodes: replaced.length,
      })
      expect(offer!.imported).toBe(replaced.length)

      // Every person whose invitation was replaced has a code that can be read back, and it works.
      const held = await s2.userImport.heldCodes(started.jobId, owner)
      expect(held.count).toBe(replaced.length)
      const rows = csvRows(held.csv).slice(1)
      const emails = new Map(
        (await sqlAll<{ id: number; email: string }>(s2.db, 'SELECT id, email FROM users')).map((r) => [
          r.email,
          Number(r.id),
        ]),
      )
      expect(new Set(rows.map((r) => emails.get(r[0]!)))).toEqual(new Set(replaced))
      for (const r of [rows[0]!, rows.at(-1)!]) {
        const { user } = await s2.users.activate(r[0]!, r[3]!, 'quiet-orchard-ladder-93', CLIENT)
        expect(user.email).toBe(r[0])
      }
      // No code ever reaches the audit trail.
      const audit = (await sqlAll<{ data: string }>(s2.db, 'SELECT data FROM audit_events'))
        .map((r) => r.data)
        .join('\n')
      for (const r of rows) expect(audit).not.toContain(r[3])

      // Saved: the held copies are erased, and nothing is offered any more.
      await s2.userImport.codesDelivered(started.jobId, held.through, owner, CLIENT)
      expect(
        Number(await sqlValue(s2.db, 'SELECT count(*) FROM import_codes WHERE run_id = ?', started.jobId)),
      ).toBe(0)
      expect(await resends(s2)).toEqual([])
    } finally {
      await second.close()
    }
  }, 120_000)

  it('a finished re-send hands its codes over once and erases them only when told they are saved', async () => {
    await members(3)
    const result = await run({ kind: 'matching', role: 'member' }, 'resend-invitation', owner, CLIENT)
    expect(result.invitationsThrough).not.toBeNull()
    const handed = csvRows(result.invitationsCsv!).slice(1)
    // Not saved yet: after a restart it would be offered again, with the same codes.
    const [offer] = await s.userImport.unfinished(owner)
    expect(offer).toMatchObject({ importId: result.jobId, kind: 'resend', finished: true, pendingCodes: 3 })
    const held = await s.userImport.heldCodes(result.jobId, owner)
    expect(
      csvRows(held.csv)
        .slice(1)
        .map((r) => r[3])
        .sort(),
    ).toEqual(handed.map((r) => r[3]).sort())
    // On a team database the code is sealed at rest; on a file the whole file is encrypted.
    const stored = await sqlAll<{ code: string }>(
      s.db,
      'SELECT code FROM import_codes WHERE run_id = ?',
      result.jobId,
    )
    if (onPostgres) for (const r of stored) expect(handed.map((h) => h[3])).not.toContain(r.code)

    // Another admin cannot read, erase or forget them (attack): they are the re-sender's to deliver.
    const admin = await person('admin@example.com', 'admin')
    await expect(s.userImport.heldCodes(result.jobId, admin)).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(s.userImport.codesDelivered(result.jobId, 1e9, admin, CLIENT)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    })
    await expect(s.userImport.forget(result.jobId, admin, CLIENT)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    })
    expect(await s.userImport.unfinished(admin)).toEqual([])

    await s.userImport.codesDelivered(result.jobId, result.invitationsThrough!, owner, CLIENT)
    expect(await s.userImport.unfinished(owner)).toEqual([])
    expect(
      Number(await sqlValue(s.db, 'SELECT count(*) FROM import_codes WHERE run_id = ?', result.jobId)),
    ).toBe(0)
  })

  it('disables and exports exactly the picked users, and never the actor', async () => {
    const admin = await person('admin@example.com', 'admin')
    await members(4)
    const ids = (
      await sqlAll<{ id: number }>(
        s.db,
        "SELECT id FROM users WHERE email IN ('m1@example.com', 'm2@example.com') ORDER BY id",
      )
    ).map((r) => r.id)

    const exported = await run({ kind: 'ids', ids: [...ids, owner.id] }, 'export', admin, CLIENT)
    const lines = csvRows(exported.csv!)
    expect(lines.map((r) => r[0])).toEqual(['email', 'm1@example.com', 'm2@example.com', 'owner@example.com'])

    const disabled = await run({ kind: 'ids', ids: [...ids, admin.id, owner.id] }, 'disable', admin, CLIENT)
    expect(disabled).toMatchObject({ total: 4, done: 2 })
    expect(disabled.skipped).toEqual(
      expect.arrayContaining([
        { reason: 'You cannot disable your own account', count: 1 },
        { reason: 'Only an owner can disable an owner.', count: 1 },
      ]),
    )
    const statuses = await sqlAll<{ email: string; status: string }>(
      s.db,
      'SELECT email, status FROM users ORDER BY email',
    )
    expect(statuses.filter((r) => r.status === 'disabled').map((r) => r.email)).toEqual([
      'm1@example.com',
      'm2@example.com',
    ])
    expect(await events('user.disabled')).toHaveLength(2)

    // Reset 2FA leaves alone whoever has none (nobody here has set it up).
    const reset = await run({ kind: 'matching', role: 'member' }, 'reset-2fa', admin, CLIENT)
    expect(reset).toMatchObject({ done: 0, skipped: [{ reason: 'Has no 2FA set up', count: 4 }] })
  })

  it('a person who cannot be changed fails alone: the rest of their batch is done once, in order', async () => {
    await person('owner2@example.com', 'owner')
    await members(3)
    // The key holder outranks everyone; only the rule that one owner stays active can stop them.
    const result = await run({ kind: 'matching' }, 'disable', KEY_HOLDER, CLIENT)
    expect(result).toMatchObject({
      total: 5,
      processed: 5,
      done: 4,
      skipped: [],
      failed: [
        { reason: 'Tessera needs at least one active owner: make someone else an owner first.', count: 1 },
      ],
    })
    const active = await sqlAll<{ email: string; role: string }>(
      s.db,
      "SELECT email, role FROM users WHERE status = 'active'",
    )
    expect(active).toHaveLength(1)
    expect(active[0]!.role).toBe('owner')
    // The batch that failed rolled back whole before going again person by person: one event each.
    const disabled = await events('user.disabled')
    expect(disabled).toHaveLength(4)
    expect(new Set(disabled.map((e) => e.subject_id)).size).toBe(4)
  })
})
