import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { OWNER, startBackend } from '../../../test/fixtures/harness'
import { failUserInsert, sqlAll, sqlValue } from '../../../test/fixtures/sql'
import type { SessionUser } from '../../shared/dto'
import { parseCsv } from './csv'
import type { Services } from './services'
import { UserImportService } from './user-import'

const HEADER = 'email,name,role,require_2fa\r\n'
const CLIENT = { via: 'desktop', machine: 'test-machine' } as const

describe('importing users from CSV', () => {
  let h: Awaited<ReturnType<typeof startBackend>>
  let owner: SessionUser
  let s: Services
  beforeEach(async () => {
    h = await startBackend()
    owner = await h.setup()
    s = h.backend.services()
  })
  afterEach(() => h.cleanup())

  const userCount = async (): Promise<number> => Number(await sqlValue(s.db, 'SELECT count(*) FROM users'))
  const importEvents = () =>
    sqlAll<{ actor_id: number; data: string }>(
      s.db,
      "SELECT actor_id, data FROM audit_events WHERE type = 'users.imported'",
    )

  it('reports every bad row by line number and imports nothing', async () => {
    const csv =
      HEADER +
      'ann@example.com,Ann,member,yes\r\n' + // line 2: fine
      'not-an-email,Bob,member,no\r\n' + // 3
      'cy@example.com,Cy,wizard,\r\n' + // 4
      'ANN@example.com,Ann Again,member,\r\n' + // 5: duplicate of line 2
      `${OWNER.email.toUpperCase()},Olivia,admin,1\r\n` + // 6: exists already
      'dee@example.com,Dee,member\r\n' + // 7: a column short
      'eve@example.com,Eve,member,maybe\r\n' + // 8
      '\r\n' + // 9: empty, skipped
      'fay@example.com,,support,0\r\n' // 10: no name
    const r = await s.userImport.begin(csv, owner)
    expect(r.importId).toBeNull()
    expect(r.errors.map((e) => [e.line, e.column ?? null])).toEqual([
      [3, 'email'],
      [4, 'role'],
      [5, 'email'],
      [6, 'email'],
      [7, null],
      [8, 'require_2fa'],
      [10, 'name'],
    ])
    expect(r.errors[2]!.message).toMatch(/line 2/)
    expect(r.errors[3]!.message).toMatch(/already exists/)
    expect(await userCount()).toBe(1)
    expect(await importEvents()).toEqual([])
  })

  it('refuses a file without the header, with a syntax error, or with owners from an admin', async () => {
    expect((await s.userImport.begin('ann@example.com,Ann,member,yes\n', owner)).errors[0]).toMatchObject({
      line: 1,
      message: expect.stringMatching(/header/),
    })
    expect((await s.userImport.begin(`${HEADER}a@example.com,"Ann,member,yes\n`, owner)).errors).toEqual([
      { line: 2, message: 'a quoted field is not closed' },
    ])
    const admin = { id: 99, email: 'admin@example.com', name: 'Admin', role: 'admin' as const }
    expect((await s.userImport.begin(`${HEADER}o@example.com,O,owner,\n`, admin)).errors[0]).toMatchObject({
      line: 2,
      column: 'role',
    })
  })

  it('imports in batches, audits each batch without codes, and returns the invitations once', async () => {
    const csv = `${HEADER}${Array.from({ length: 5 }, (_, i) => `p${i}@example.com,"Person, ${i}",member,${i % 2 ? 'no' : ''}`).join('\n')}\n`
    const begun = await s.userImport.begin(csv, owner)
    expect(begun).toMatchObject({ total: 5, errors: [] })
    const id = begun.importId!
    expect(await s.userImport.next(id, 2, owner, CLIENT)).toMatchObject({
      done: false,
      imported: 2,
      total: 5,
    })
    expect(await s.userImport.next(id, 2, owner, CLIENT)).toMatchObject({ done: false, imported: 4 })
    const last = await s.userImport.next(id, 2, owner, CLIENT)
    expect(last).toMatchObject({ done: true, imported: 5, skipped: [] })
    const held = await s.userImport.heldCodes(id, owner)
    expect(held.count).toBe(5)
    const rows = parseCsv(held.csv)
    expect(rows[0]!.cells).toEqual(['email', 'name', 'role', 'invitation_code', 'expires_at'])
    expect(rows.slice(1).map((r) => r.cells[1])).toEqual([0, 1, 2, 3, 4].map((i) => `Person, ${i}`))
    // Delivered once: the import is gone, and so are the held codes.
    await expect(s.userImport.next(id, 2, owner, CLIENT)).rejects.toThrow(/no such import/)
    expect(await s.userImport.codesDelivered(id, held.through, owner, CLIENT)).toEqual({ erased: 5 })
    expect((await s.userImport.heldCodes(id, owner)).count).toBe(0)
    expect(await sqlValue(s.db, 'SELECT count(*) FROM import_codes')).toBe(0)
    const events = await importEvents()
    expect(events.map((e) => (JSON.parse(e.data) as { count: number }).count)).toEqual([2, 2, 1])
    expect(events.every((e) => e.actor_id === owner.id)).toBe(true)
    const trail = JSON.stringify(await sqlAll(s.db, 'SELECT * FROM audit_events'))
    for (const r of rows.slice(1)) expect(trail).not.toContain(r.cells[3])
    // require_2fa: empty takes the policy default (on), "no" turns it off.
    expect(
      (
        await sqlAll<{ require_2fa: number }>(
          s.db,
          "SELECT require_2fa FROM users WHERE email >= 'p' AND email < 'q' ORDER BY id",
        )
      ).map((r) => Number(r.require_2fa)),
    ).toEqual([1, 0, 1, 0, 1])
    // A code from the file activates its person.
    const [email, , , code] = rows[2]!.cells
    const activated = await s.users.activate(email!, code!, 'quiet-orchard-ladder-93', CLIENT)
    expect(activated.user.email).toBe(email)
    expect((await s.audit.verify()).ok).toBe(true)
  })

  it('never half-imports a batch: a failing batch leaves nothing and the import resumes from it', async () => {
    const csv = `${HEADER}${['a', 'b', 'c', 'd', 'e'].map((x) => `${x}@example.com,${x},member,no`).join('\n')}`
    const id = (await s.userImport.begin(csv, owner)).importId!
    await s.userImport.next(id, 2, owner, CLIENT) // a, b
    const undo = await failUserInsert(s.db, 'd@example.com', 'disk trouble')
    await expect(s.userImport.next(id, 2, owner, CLIENT)).rejects.toThrow(/disk trouble/)
    expect(
      (
        await sqlAll<{ email: string }>(s.db, "SELECT email FROM users WHERE role = 'member' ORDER BY id")
      ).map((r) => r.email),
    ).toEqual(['a@example.com', 'b@example.com'])
    await undo()
    expect(await s.userImport.next(id, 2, owner, CLIENT)).toMatchObject({ done: false, imported: 4 })
    const done = await s.userImport.next(id, 2, owner, CLIENT)
    expect(done).toMatchObject({ done: true, imported: 5 })
    expect(parseCsv((await s.userImport.heldCodes(id, owner)).csv)).toHaveLength(6)
    expect(await importEvents()).toHaveLength(3)
  })

  const restart = () => new UserImportService({ db: s.db, clock: h.clock, audit: s.audit, policy: s.policy })
  const codesOf = (csv: string) =>
    new Map(
      parseCsv(csv)
        .slice(1)
        .map((r) => [r.cells[0]!, r.cells[3]!]),
    )

  it('after a restart, the same file resumes: done rows skipped, their undelivered codes delivered', async () => {
    const csv = `${HEADER}${['a', 'b', 'c', 'd', 'e'].map((x) => `${x}@example.com,${x.toUpperCase()},member,`).join('\n')}\n`
    const first = await s.userImport.begin(csv, owner)
    expect(first).toMatchObject({ total: 5, alreadyImported: 0, pendingCodes: 0 })
    await s.userImport.next(first.importId!, 2, owner, CLIENT) // a, b
    await s.userImport.next(first.importId!, 2, owner, CLIENT) // c, d
    // Killed here: the rows in memory are gone; the committed people and their codes are not.
    const restarted = restart()
    await expect(restarted.next(first.importId!, 2, owner, CLIENT)).rejects.toThrow(/no such import/)
    expect(await userCount()).toBe(5)
    expect(await restarted.unfinished(owner)).toEqual([
      {
        importId: first.importId,
        startedAt: h.clock.now(),
        total: 5,
        imported: 4,
        finished: false,
        pendingCodes: 4,
        kind: 'import',
      },
    ])
    // Another manager sees none of it.
    const other = { ...owner, id: owner.id + 1 }
    expect(await restarted.unfinished(other)).toEqual([])
    await expect(restarted.heldCodes(first.importId!, other)).rejects.toThrow(/no such import/)

    const again = await restarted.begin(csv, owner)
    expect(again).toMatchObject({ total: 1, alreadyImported: 4, pendingCodes: 4, errors: [] })
    expect(await restarted.next(again.importId!, 2, owner, CLIENT)).toMatchObject({
      done: true,
      imported: 1,
      total: 1,
      alreadyImported: 4,
    })
    const held = await restarted.heldCodes(again.importId!, owner)
    const codes = codesOf(held.csv)
    expect([...codes.keys()]).toEqual(['a', 'b', 'c', 'd', 'e'].map((x) => `${x}@example.com`))
    // A code from the interrupted run activates its person.
    const activated = await s.users.activate(
      'b@example.com',
      codes.get('b@example.com')!,
      'quiet-orchard-ladder-93',
      CLIENT,
    )
    expect(activated.user.email).toBe('b@example.com')
    await restarted.codesDelivered(again.importId!, held.through, owner, CLIENT)
    // Both runs are over: the first was taken over by the second.
    expect(await restarted.unfinished(owner)).toEqual([])
    expect(await userCount()).toBe(6)

    // Once delivered, a code is never shown again: a third run has nothing to deliver or import.
    const third = await restarted.begin(csv, owner)
    expect(third).toMatchObject({ total: 0, alreadyImported: 5, pendingCodes: 0 })
    expect(await restarted.next(third.importId!, 2, owner, CLIENT)).toMatchObject({ done: true, imported: 0 })
    expect((await restarted.heldCodes(third.importId!, owner)).count).toBe(0)
    const trail = JSON.stringify(await sqlAll(s.db, 'SELECT * FROM audit_events'))
    for (const code of codes.values()) expect(trail).not.toContain(code)
    expect((await s.audit.verify()).ok).toBe(true)
  })

  it('still refuses a row whose email exists with other data, naming what differs', async () => {
    await s.userImport.begin(`${HEADER}a@example.com,A,member,no\n`, owner).then(async (b) => {
      await s.userImport.next(b.importId!, 10, owner, CLIENT)
    })
    const r = await s.userImport.begin(
      `${HEADER}a@example.com,A,support,yes\nb@example.com,B,member,\n`,
      owner,
    )
    expect(r.importId).toBeNull()
    expect(r.errors).toEqual([
      {
        line: 2,
        column: 'email',
        message: 'A user with the email a@example.com already exists, with a different role, require_2fa',
      },
    ])
  })

  it('holds the codes sealed on a team database, voids a resent one, and forgets on request', async () => {
    const csv = `${HEADER}a@example.com,A,member,\nb@example.com,B,member,\nc@example.com,C,member,\n`
    const id = (await s.userImport.begin(csv, owner)).importId!
    await s.userImport.next(id, 10, owner, CLIENT)
    const codes = codesOf((await s.userImport.heldCodes(id, owner)).csv)
    const stored = await sqlAll<{ code: string }>(s.db, 'SELECT code FROM import_codes ORDER BY user_id')
    expect(stored).toHaveLength(3)
    if (s.db.seal.active) {
      // What a server's administrators and backups see: no code.
      for (const row of stored) expect(row.code).toMatch(/^s1:/)
      for (const code of codes.values()) expect(JSON.stringify(stored)).not.toContain(code)
    }
    // A resent invitation replaces the code: the held one is void and is not delivered.
    const b = await s.users.byEmail('b@example.com')
    await s.users.resendInvitation(b.id, owner, CLIENT)
    expect([...codesOf((await s.userImport.heldCodes(id, owner)).csv).keys()]).toEqual([
      'a@example.com',
      'c@example.com',
    ])
    expect(await s.userImport.forget(id, owner, CLIENT)).toEqual({ erased: 3 })
    expect(await sqlValue(s.db, 'SELECT count(*) FROM import_codes')).toBe(0)
    expect(await s.userImport.unfinished(owner)).toEqual([])
  })

  it('skips a row whose email was created by someone else during the import', async () => {
    const id = (
      await s.userImport.begin(`${HEADER}a@example.com,A,member,\nb@example.com,B,member,\n`, owner)
    ).importId!
    await s.users.create({ email: 'B@example.com', name: 'B', role: 'member' }, owner, CLIENT)
    const done = await s.userImport.next(id, 10, owner, CLIENT)
    expect(done).toMatchObject({ done: true, imported: 1, skipped: [{ line: 3, column: 'email' }] })
  })

  it('imports 10,000 users', async () => {
    const lines = Array.from({ length: 10_000 }, (_, i) => `user${i}@example.com,User ${i},member,yes`)
    const t0 = performance.now()
    const begun = await s.userImport.begin(`${HEADER}${lines.join('\r\n')}\r\n`, owner)
    expect(begun.errors).toEqual([])
    let progress
    do progress = await s.userImport.next(begun.importId!, 1000, owner, CLIENT)
    while (!progress.done)
    const seconds = (performance.now() - t0) / 1000
    expect(progress.imported).toBe(10_000)
    expect(parseCsv((await s.userImport.heldCodes(begun.importId!, owner)).csv)).toHaveLength(10_001)
    expect(await userCount()).toBe(10_001)
    expect(await importEvents()).toHaveLength(10)
    expect(seconds).toBeLessThan(20) // the target (10 s) is measured by npm run bench
  })

  it('exports users without secrets, formulas defused', async () => {
    await s.users.create({ email: 'eve@example.com', name: '=HYPERLINK("x")', role: 'member' }, owner, CLIENT)
    const parts: string[] = []
    for await (const part of s.userImport.exportCsv()) parts.push(part)
    const csv = parts.join('')
    const rows = parseCsv(csv)
    expect(rows[0]!.cells).toEqual([
      'email',
      'name',
      'role',
      'status',
      'two_factor',
      'backup_codes_left',
      'last_login_at',
    ])
    expect(rows.map((r) => r.cells[0])).toEqual(['email', 'eve@example.com', OWNER.email])
    expect(rows[1]!.cells.slice(1, 5)).toEqual(['\'=HYPERLINK("x")', 'member', 'invited', 'required'])
    const hashes = await sqlAll<{ password_hash: string }>(
      s.db,
      'SELECT password_hash FROM users WHERE password_hash IS NOT NULL UNION SELECT code_hash FROM invitations',
    )
    for (const { password_hash: secret } of hashes) expect(csv).not.toContain(secret)
    expect(csv).not.toMatch(/argon2/)
  })
})
