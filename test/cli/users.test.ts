import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseCsv } from '../../src/main/core/csv'
import { tempDir } from '../fixtures/temp'
import { ensureCliBuilt, initPassphraseDb, OWNER_EMAIL, tessera, type CliRun, auditEvents } from './helpers'

const MIA = 'mia@example.com'
const MIA_PASSWORD = 'quiet-orchard-ladder-93'

describe('tessera users', () => {
  let t: ReturnType<typeof tempDir>
  let db: string
  let env: NodeJS.ProcessEnv
  const run = (args: string[], input = ''): CliRun => tessera(['--db', db, ...args], { input, env })
  const ok = (args: string[], input = ''): Record<string, unknown> => {
    const r = run([...args, '--json'], input)
    expect(r.status, `${args.join(' ')}: ${r.stdout}${r.stderr}`).toBe(0)
    return r.json()
  }
  const events = () => auditEvents(db, env)
  const userJson = (email: string) =>
    ok(['users', 'show', '--email', email]) as { user: Record<string, unknown> }

  beforeAll(async () => {
    await ensureCliBuilt()
    t = tempDir()
    db = join(t.dir, 'tessera.db')
    env = initPassphraseDb(db)
  })
  afterAll(() => t.cleanup())

  it('adds a user, prints the invitation once, and the person activates with it', () => {
    const added = ok(['users', 'add', '--email', MIA, '--name', 'Mia Member', '--role', 'member'])
    const code = added.invitationCode as string
    expect(code.replace(/-/g, '')).toMatch(/^[2-9A-HJ-NP-Z]{26}$/)
    const wrong = run(
      ['users', 'activate', '--email', MIA, '--code', 'AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-A'],
      `${MIA_PASSWORD}\n`,
    )
    expect(wrong.status).toBe(3)
    const activated = ok(['users', 'activate', '--email', MIA, '--code', code], `${MIA_PASSWORD}\n`)
    expect(activated).toMatchObject({ activated: true, next: 'enroll', user: { email: MIA, role: 'member' } })
    expect(run(['users', 'activate', '--email', MIA, '--code', code], `${MIA_PASSWORD}\n`).status).toBe(3)
    const created = events().find((e) => e.type === 'user.created')!
    expect(created).toMatchObject({ actorId: 1, data: { via: 'cli', email: MIA } })
    expect(JSON.stringify(events())).not.toContain(code)
  })

  it('lists with filters, search and keyset pages', () => {
    for (const [email, name, role] of [
      ['bob@example.com', 'Bob Builder', 'support'],
      ['cy@example.com', 'Cy Twig', 'member'],
      ['dee@example.com', 'Dee Dee', 'admin'],
    ])
      ok(['users', 'add', '--email', email!, '--name', name!, '--role', role!, '--no-require-2fa'])
    const emails = (r: Record<string, unknown>) => (r.users as { email: string }[]).map((u) => u.email)
    expect(emails(ok(['users', 'list', '--filter', 'invited']))).toEqual([
      'bob@example.com',
      'cy@example.com',
      'dee@example.com',
    ])
    expect(emails(ok(['users', 'list', '--filter', 'required']))).toEqual([MIA])
    expect(emails(ok(['users', 'list', '--role', 'admin']))).toEqual(['dee@example.com'])
    expect(emails(ok(['users', 'list', '--search', 'cy']))).toEqual(['cy@example.com'])
    expect(emails(ok(['users', 'list', '--search', 'Mia']))).toEqual([MIA])
    const seen: string[] = []
    let after: string | null = null
    do {
      const page = ok([
        'users',
        'list',
        '--sort',
        'email',
        '--limit',
        '2',
        ...(after ? ['--after', after] : []),
      ])
      seen.push(...emails(page))
      after = page.nextCursor as string | null
    } while (after)
    expect(seen).toEqual([OWNER_EMAIL, 'bob@example.com', 'cy@example.com', 'dee@example.com', MIA])
    const table = run(['users', 'list', '--limit', '2', '--sort', 'email'])
    expect(table.stdout).toMatch(/^EMAIL +NAME +ROLE +STATUS +2FA/)
    expect(table.stdout).toMatch(/Next page: --after \S+/)
    expect(run(['users', 'list', '--filter', 'nonsense']).status).toBe(2)
    expect(run(['users', 'list', '--after', 'garbage!']).status).toBe(2)
  })

  it('shows a user: 2FA, slots, lock state and recent events', () => {
    const shown = run(['users', 'show', '--email', MIA])
    expect(shown.status).toBe(0)
    expect(shown.stdout).toMatch(/2FA +required/)
    expect(shown.stdout).toMatch(/Lock +not locked/)
    expect(shown.stdout).toMatch(/user\.activated/)
    expect(run(['users', 'show', '--email', 'ghost@example.com']).status).toBe(24)
  })

  it('runs each admin action with its audit event, asking for --yes on destructive ones', () => {
    ok(['users', 'unrequire-2fa', '--email', MIA])
    expect(userJson(MIA).user.twoFactor).toBe('off')
    ok(['users', 'require-2fa', '--email', MIA])
    expect(userJson(MIA).user.twoFactor).toBe('required')
    const unconfirmed = run(['users', 'reset-2fa', '--email', MIA])
    expect(unconfirmed.status).toBe(2)
    expect(unconfirmed.stderr).toMatch(/--yes/)
    ok(['users', 'reset-2fa', '--email', MIA, '--yes'])
    ok(['users', 'unlock', '--email', MIA])
    expect(run(['users', 'disable', '--email', MIA]).status).toBe(2)
    expect(userJson(MIA).user.status).toBe('active')
    ok(['users', 'disable', '--email', MIA, '--yes'])
    expect(userJson(MIA).user.status).toBe('disabled')
    expect(run(['login', '--email', MIA], `${MIA_PASSWORD}\n`).status).toBe(9)
    ok(['users', 'enable', '--email', MIA])
    expect(ok(['users', 'role', '--email', MIA, '--role', 'support'])).toMatchObject({
      user: { role: 'support' },
    })
    const bobCode = ok(['users', 'invite', '--email', 'bob@example.com']).invitationCode
    expect(typeof bobCode).toBe('string')
    expect(run(['users', 'delete', '--email', 'cy@example.com']).status).toBe(2)
    ok(['users', 'delete', '--email', 'cy@example.com', '--yes'])
    expect(run(['users', 'show', '--email', 'cy@example.com']).status).toBe(24)
    const byCli = events().filter((e) => e.actorId === 1 && e.data.via === 'cli' && /^user\./.test(e.type))
    expect(byCli.map((e) => e.type)).toEqual([
      'user.created',
      'user.created',
      'user.created',
      'user.created',
      'user.2fa_not_required',
      'user.2fa_required',
      'user.2fa_reset',
      'user.unlocked',
      'user.disabled',
      'user.enabled',
      'user.role_changed',
      'user.invitation_resent',
      'user.deleted',
    ])
  })

  it('never demotes, disables or deletes the last active owner', () => {
    for (const args of [
      ['users', 'role', '--email', OWNER_EMAIL, '--role', 'admin'],
      ['users', 'disable', '--email', OWNER_EMAIL, '--yes'],
      ['users', 'delete', '--email', OWNER_EMAIL, '--yes'],
    ]) {
      const r = run(args)
      expect(r.status, args.join(' ')).toBe(7)
    }
    expect(userJson(OWNER_EMAIL).user).toMatchObject({ role: 'owner', status: 'active' })
  })

  it('imports nothing from a file with a bad row, naming the line', () => {
    const file = join(t.dir, 'bad.csv')
    writeFileSync(
      file,
      'email,name,role,require_2fa\nok@example.com,Ok,member,yes\nbroken,Broken,member,no\n',
    )
    const before = ok(['status']).userCount
    const r = run(['users', 'import', file])
    expect(r.status).toBe(25)
    expect(r.stderr).toMatch(/line 3 \(email\)/)
    expect(ok(['status']).userCount).toBe(before)
    const json = run(['users', 'import', file, '--json'])
    expect(json.json()).toMatchObject({
      error: { reason: 'IMPORT_INVALID', errors: [{ line: 3, column: 'email' }] },
    })
  })

  it('imports a good file and writes the invitations CSV (mode 600); the codes activate', () => {
    const file = join(t.dir, 'good.csv')
    const out = join(t.dir, 'invitations.csv')
    const people = Array.from(
      { length: 12 },
      (_, i) => `p${i}@example.com,Person ${i},member,${i % 2 ? 'no' : 'yes'}`,
    )
    writeFileSync(file, `\ufeffemail,name,role,require_2fa\r\n${people.join('\r\n')}\r\n`)
    const r = run(['users', 'import', file, '--output', out, '--batch-size', '5'])
    expect(r.status, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/Imported 5\/12\nImported 10\/12\nImported 12\/12/)
    expect(statSync(out).mode & 0o777).toBe(0o600)
    const rows = parseCsv(readFileSync(out, 'utf8'))
    expect(rows).toHaveLength(13)
    const [email, , , code] = rows[4]!.cells
    expect(ok(['users', 'activate', '--email', email!, '--code', code!], `${MIA_PASSWORD}\n`)).toMatchObject({
      activated: true,
    })
    const imported = events().filter((e) => e.type === 'users.imported')
    expect(imported.map((e) => e.data.count)).toEqual([5, 5, 2])
    expect(imported.every((e) => e.actorId === 1 && e.data.via === 'cli')).toBe(true)
    // To stdout when there is no --output.
    writeFileSync(file, 'email,name,role\nq@example.com,Q,support\n')
    const toStdout = run(['users', 'import', file])
    expect(toStdout.status).toBe(0)
    expect(parseCsv(toStdout.stdout)[1]!.cells.slice(0, 3)).toEqual(['q@example.com', 'Q', 'support'])
  })

  it('exports users as CSV without any secret', () => {
    ok(['users', 'add', '--email', 'eve@example.com', '--name', '=HYPERLINK("http://x")', '--role', 'member'])
    const r = run(['users', 'export'])
    expect(r.status).toBe(0)
    const rows = parseCsv(r.stdout)
    expect(rows[0]!.cells).toEqual([
      'email',
      'name',
      'role',
      'status',
      'two_factor',
      'backup_codes_left',
      'last_login_at',
    ])
    expect(rows.find((x) => x.cells[0] === 'eve@example.com')!.cells[1]).toBe('\'=HYPERLINK("http://x")')
    expect(r.stdout).not.toMatch(/argon2|invitation|[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}-/)
    const out = join(t.dir, 'users.csv')
    expect(ok(['users', 'export', '--output', out])).toMatchObject({ users: rows.length - 1 })
    expect(statSync(out).mode & 0o777).toBe(0o600)
  })
})
