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
    const rows = parseCsv(last.invitationsCsv!)
    expect(rows[0]!.cells).toEqual(['email', 'name', 'role', 'invitation_code', 'expires_at'])
    expect(rows.slice(1).map((r) => r.cells[1])).toEqual([0, 1, 2, 3, 4].map((i) => `Person, ${i}`))
    // Returned once: the import is gone.
    await expect(s.userImport.next(id, 2, owner, CLIENT)).rejects.toThrow(/no such import/)
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
    expect(parseCsv(done.invitationsCsv!)).toHaveLength(6)
    expect(await importEvents()).toHaveLength(3)
  })

  it('forgets an unfinished import on restart but keeps the committed batches', async () => {
    const csv = `${HEADER}a@example.com,A,member,\nb@example.com,B,member,\n`
    const id = (await s.userImport.begin(csv, owner)).importId!
    await s.userImport.next(id, 1, owner, CLIENT)
    const restarted = new UserImportService({ db: s.db, clock: h.clock, audit: s.audit, policy: s.policy })
    await expect(restarted.next(id, 1, owner, CLIENT)).rejects.toThrow(/no such import/)
    expect(await userCount()).toBe(2)
    // Another manager cannot drive someone else's import either.
    const other = { ...owner, id: owner.id + 1 }
    await expect(s.userImport.next(id, 1, other, CLIENT)).rejects.toThrow(/no such import/)
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
    expect(parseCsv(progress.invitationsCsv!)).toHaveLength(10_001)
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
