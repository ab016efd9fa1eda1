import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseCsv } from '../../src/main/core/csv'
import { tempDir } from '../fixtures/temp'
import { fromBase32, totpAt } from '../../src/main/core/totp'
import {
  AS_OWNER,
  auditEvents,
  ensureCliBuilt,
  initPassphraseDb,
  KEY_HOLDER,
  keyHolderStdin,
  OWNER_EMAIL,
  ownerStdin,
  tessera,
  type CliRun,
} from './helpers'

const MIA = 'mia@example.com'
const MIA_PASSWORD = 'quiet-orchard-ladder-93'

describe('tessera users', () => {
  let t: ReturnType<typeof tempDir>
  let db: string
  let env: NodeJS.ProcessEnv
  const run = (args: string[], input = ''): CliRun => tessera(['--db', db, ...args], { input, env })
  /** An administrative command run as the owner (--as, the owner's password on stdin). */
  const admin = (args: string[], ...stdin: string[]): CliRun =>
    run([...args, ...AS_OWNER], ownerStdin(...stdin))
  const ok = (args: string[], input = ''): Record<string, unknown> => {
    const r = run([...args, '--json'], input)
    expect(r.status, `${args.join(' ')}: ${r.stdout}${r.stderr}`).toBe(0)
    return r.json()
  }
  const okAdmin = (args: string[], ...stdin: string[]): Record<string, unknown> =>
    ok([...args, ...AS_OWNER], ownerStdin(...stdin))
  /** `users activate --code -`: the new password, then the invitation code, on stdin. */
  const activate = (email: string, code: string, password = MIA_PASSWORD): CliRun =>
    run(['users', 'activate', '--email', email, '--code', '-', '--json'], `${password}\n${code}\n`)
  const events = () => auditEvents(db, env)
  const userJson = (email: string) =>
    okAdmin(['users', 'show', '--email', email]) as { user: Record<string, unknown> }

  beforeAll(async () => {
    await ensureCliBuilt()
    t = tempDir()
    db = join(t.dir, 'tessera.db')
    env = initPassphraseDb(db)
  })
  afterAll(() => t.cleanup())

  it('adds a user, prints the invitation once, and the person activates with it', () => {
    // Nobody named: nothing is done. A wrong password for the person named: nothing either.
    const anonymous = run([
      'users',
      'add',
      '--email',
      MIA,
      '--name',
      'Mia Member',
      '--role',
      'member',
      '--json',
    ])
    expect(anonymous.status).toBe(2)
    expect(anonymous.json().error).toMatchObject({ code: 'USAGE', reason: 'WHO_ARE_YOU' })
    const wrongOwnerPassword = run(
      ['users', 'add', '--email', MIA, '--name', 'Mia Member', '--role', 'member', ...AS_OWNER],
      'not the owner password\n',
    )
    expect(wrongOwnerPassword.status).toBe(3)
    expect(ok(['status']).userCount).toBe(1)

    const added = okAdmin(['users', 'add', '--email', MIA, '--name', 'Mia Member', '--role', 'member'])
    const code = added.invitationCode as string
    expect(code.replace(/-/g, '')).toMatch(/^[2-9A-HJ-NP-Z]{26}$/)
    // The code goes on stdin after the new password; in argv it is refused unread.
    const inArgv = run(['users', 'activate', '--email', MIA, '--code', code, '--json'], `${MIA_PASSWORD}\n`)
    expect(inArgv.status).toBe(2)
    expect(inArgv.json().error).toMatchObject({ reason: 'SECRET_IN_ARGV' })
    expect(inArgv.stdout + inArgv.stderr).not.toContain(code)
    expect(activate(MIA, 'AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-A').status).toBe(3)
    const activated = activate(MIA, code)
    expect(activated.status, activated.stderr).toBe(0)
    expect(activated.json()).toMatchObject({
      activated: true,
      next: 'enroll',
      user: { email: MIA, role: 'member' },
    })
    expect(activate(MIA, code).status).toBe(3)
    const created = events().find((e) => e.type === 'user.created')!
    // The audit trail names the person who ran it: the owner, signed in with --as.
    expect(created).toMatchObject({ actorId: 1, subjectId: added.userId, data: { via: 'cli', email: MIA } })
    expect(created.data).not.toHaveProperty('actor')
    expect(JSON.stringify(events())).not.toContain(code)
  })

  it('lists with filters, search and keyset pages', () => {
    for (const [email, name, role] of [
      ['bob@example.com', 'Bob Builder', 'support'],
      ['cy@example.com', 'Cy Twig', 'member'],
      ['dee@example.com', 'Dee Dee', 'admin'],
    ])
      okAdmin(['users', 'add', '--email', email!, '--name', name!, '--role', role!, '--no-require-2fa'])
    const emails = (r: Record<string, unknown>) => (r.users as { email: string }[]).map((u) => u.email)
    expect(emails(okAdmin(['users', 'list', '--filter', 'invited']))).toEqual([
      'bob@example.com',
      'cy@example.com',
      'dee@example.com',
    ])
    expect(emails(okAdmin(['users', 'list', '--filter', 'required']))).toEqual([MIA])
    expect(emails(okAdmin(['users', 'list', '--role', 'admin']))).toEqual(['dee@example.com'])
    expect(emails(okAdmin(['users', 'list', '--search', 'cy']))).toEqual(['cy@example.com'])
    expect(emails(okAdmin(['users', 'list', '--search', 'Mia']))).toEqual([MIA])
    const seen: string[] = []
    let after: string | null = null
    do {
      const page = okAdmin([
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
    const table = admin(['users', 'list', '--limit', '2', '--sort', 'email'])
    expect(table.stdout).toMatch(/^EMAIL +NAME +ROLE +STATUS +2FA/)
    expect(table.stdout).toMatch(/Next page: --after \S+/)
    expect(admin(['users', 'list', '--filter', 'nonsense']).status).toBe(2)
    expect(admin(['users', 'list', '--after', 'garbage!']).status).toBe(2)
    expect(run(['users', 'list']).status).toBe(2)
  })

  it('shows a user: 2FA, slots, lock state and recent events', () => {
    const shown = admin(['users', 'show', '--email', MIA])
    expect(shown.status).toBe(0)
    expect(shown.stdout).toMatch(/2FA +required/)
    expect(shown.stdout).toMatch(/Lock +not locked/)
    expect(shown.stdout).toMatch(/user\.activated/)
    expect(admin(['users', 'show', '--email', 'ghost@example.com']).status).toBe(24)
  })

  // About twenty CLI runs in a row: room for a busy machine (the PostgreSQL pass runs them all again).
  it('runs each admin action with its audit event, asking for --yes on destructive ones', () => {
    okAdmin(['users', 'unrequire-2fa', '--email', MIA])
    expect(userJson(MIA).user.twoFactor).toBe('off')
    okAdmin(['users', 'require-2fa', '--email', MIA])
    expect(userJson(MIA).user.twoFactor).toBe('required')
    const unconfirmed = admin(['users', 'reset-2fa', '--email', MIA])
    expect(unconfirmed.status).toBe(2)
    expect(unconfirmed.stderr).toMatch(/--yes/)
    // A member's 2FA is reset at once (the two-person rule is for admins and owners).
    expect(okAdmin(['users', 'reset-2fa', '--email', MIA, '--yes'])).toMatchObject({ pendingRequestId: null })
    okAdmin(['users', 'unlock', '--email', MIA])
    expect(admin(['users', 'disable', '--email', MIA]).status).toBe(2)
    expect(userJson(MIA).user.status).toBe('active')
    okAdmin(['users', 'disable', '--email', MIA, '--yes'])
    expect(userJson(MIA).user.status).toBe('disabled')
    expect(run(['login', '--email', MIA], `${MIA_PASSWORD}\n`).status).toBe(9)
    okAdmin(['users', 'enable', '--email', MIA])
    expect(okAdmin(['users', 'role', '--email', MIA, '--role', 'support'])).toMatchObject({
      user: { role: 'support' },
    })
    const bobCode = okAdmin(['users', 'invite', '--email', 'bob@example.com']).invitationCode
    expect(typeof bobCode).toBe('string')
    expect(admin(['users', 'delete', '--email', 'cy@example.com']).status).toBe(2)
    okAdmin(['users', 'delete', '--email', 'cy@example.com', '--yes'])
    expect(admin(['users', 'show', '--email', 'cy@example.com']).status).toBe(24)
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
  }, 60_000)

  it('runs with the role of the person named: a support agent reads users but does not change them', async () => {
    // Mia is a support agent now; her 2FA was reset, so she must enroll again before acting as anyone.
    const mustEnroll = run(['users', 'list', '--as', MIA, '--json'], `${MIA_PASSWORD}\n`)
    expect(mustEnroll.status).toBe(23)
    expect(mustEnroll.json().error).toMatchObject({ code: 'ENROLLMENT_REQUIRED' })
    const enrolled = ok(['2fa', 'enroll', '--email', MIA], `${MIA_PASSWORD}\n`)
    const secret = fromBase32(enrolled.secret as string)
    const appCode = (at: number) => totpAt({ secret, algorithm: 'sha1', digits: 6, period: 30 }, at)
    const confirmed = ok(
      ['2fa', 'confirm', '--email', MIA, '--code', await appCode(Date.now())],
      `${MIA_PASSWORD}\n`,
    )
    const backupCodes = confirmed.backupCodes as string[]
    // With 2FA on, --as needs the second factor on the line after the password.
    expect(run(['users', 'list', '--as', MIA], `${MIA_PASSWORD}\n`).status).toBe(22)
    const listed = ok(
      ['users', 'list', '--role', 'support', '--as', MIA],
      // The next step's code (±1 is accepted): always after the one confirm used, whatever the timing.
      `${MIA_PASSWORD}\n${await appCode(Date.now() + 30_000)}\n`,
    )
    expect(emailsOf(listed)).toEqual(['bob@example.com', MIA])
    const refused = run(
      ['users', 'unlock', '--email', 'dee@example.com', '--as', MIA, '--json'],
      `${MIA_PASSWORD}\n${backupCodes[0]!}\n`,
    )
    expect(refused.status).toBe(9)
    expect(refused.json().error).toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/is a support agent: this needs owner or admin/) as unknown,
    })
    expect(run(['users', 'export', '--as', MIA], `${MIA_PASSWORD}\n${backupCodes[1]!}\n`).status).toBe(9)
    // Each --as is a complete sign-in, audited like the console's; the refusals came after it.
    const miaId = userJson(MIA).user.id
    const signIns = events().filter((e) => e.type === 'login.succeeded' && e.actorId === miaId)
    expect(signIns.map((e) => e.data)).toEqual([
      expect.objectContaining({ via: 'cli', method: 'totp' }),
      expect.objectContaining({ via: 'cli', method: 'backup_code' }),
      expect.objectContaining({ via: 'cli', method: 'backup_code' }),
    ])
  })

  it('never demotes, disables or deletes the last active owner', () => {
    // Not even the key holder, who outranks every role.
    for (const args of [
      ['users', 'role', '--email', OWNER_EMAIL, '--role', 'admin'],
      ['users', 'disable', '--email', OWNER_EMAIL, '--yes'],
      ['users', 'delete', '--email', OWNER_EMAIL, '--yes'],
    ]) {
      const r = run([...args, ...KEY_HOLDER, '--json'], keyHolderStdin())
      expect(r.status, args.join(' ')).toBe(7)
      expect(r.json().error, args.join(' ')).toMatchObject({
        message: expect.stringMatching(/at least one active owner/) as unknown,
      })
      // And the owner cannot do it to themselves.
      expect(admin(args).status, args.join(' ')).toBe(7)
    }
    expect(userJson(OWNER_EMAIL).user).toMatchObject({ role: 'owner', status: 'active' })
  })

  it('files a recovery request instead of resetting the 2FA of an admin alone; the key holder resets it', async () => {
    const ADA2 = 'al.admin@example.com'
    const added = okAdmin(['users', 'add', '--email', ADA2, '--name', 'Al Admin', '--role', 'admin'])
    expect(activate(ADA2, added.invitationCode as string).status).toBe(0)
    const enrolled = ok(['2fa', 'enroll', '--email', ADA2], `${MIA_PASSWORD}\n`)
    const code = await totpAt(
      { secret: fromBase32(enrolled.secret as string), algorithm: 'sha1', digits: 6, period: 30 },
      Date.now(),
    )
    ok(['2fa', 'confirm', '--email', ADA2, '--code', code], `${MIA_PASSWORD}\n`)

    const reset = okAdmin(['users', 'reset-2fa', '--email', ADA2, '--yes'])
    expect(reset.pendingRequestId).toEqual(expect.any(Number))
    expect(reset.user).toMatchObject({ twoFactor: 'enrolled' })
    const human = admin(['users', 'reset-2fa', '--email', ADA2, '--yes'])
    expect(human.stdout).toContain(`Recovery request #${reset.pendingRequestId as number} now waits`)
    expect(events().some((e) => e.type === 'user.2fa_reset' && e.subjectId === added.userId)).toBe(false)

    const byKeyHolder = run(
      ['users', 'reset-2fa', '--email', ADA2, '--yes', ...KEY_HOLDER, '--json'],
      keyHolderStdin(),
    )
    expect(byKeyHolder.status, byKeyHolder.stderr).toBe(0)
    expect(byKeyHolder.stderr).toMatch(/KEY HOLDER/)
    expect(byKeyHolder.json()).toMatchObject({ pendingRequestId: null, user: { twoFactor: 'required' } })
    const resetEvent = events().find((e) => e.type === 'user.2fa_reset' && e.subjectId === added.userId)!
    expect(resetEvent).toMatchObject({ actorId: null, data: { actor: 'key-holder', via: 'cli' } })
  })

  it('imports nothing from a file with a bad row, naming the line', () => {
    const file = join(t.dir, 'bad.csv')
    writeFileSync(
      file,
      'email,name,role,require_2fa\nok@example.com,Ok,member,yes\nbroken,Broken,member,no\n',
    )
    const before = ok(['status']).userCount
    const r = admin(['users', 'import', file])
    expect(r.status).toBe(25)
    expect(r.stderr).toMatch(/line 3 \(email\)/)
    expect(ok(['status']).userCount).toBe(before)
    const json = admin(['users', 'import', file, '--json'])
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
    const r = admin(['users', 'import', file, '--output', out, '--batch-size', '5'])
    expect(r.status, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/Imported 5\/12\nImported 10\/12\nImported 12\/12/)
    expect(statSync(out).mode & 0o777).toBe(0o600)
    const rows = parseCsv(readFileSync(out, 'utf8'))
    expect(rows).toHaveLength(13)
    // p3 is not required to have 2FA: its password alone signs in, so 12 characters are not enough.
    const [email, , , code] = rows[4]!.cells
    expect(email).toBe('p3@example.com')
    const short = activate(email!, code!, 'orchard-lad-93')
    expect(short.status).toBe(6)
    expect(short.json().error).toMatchObject({
      message: expect.stringMatching(/at least 15 characters/) as unknown,
    })
    const activated = activate(email!, code!)
    expect(activated.status, activated.stderr).toBe(0)
    expect(activated.json()).toMatchObject({ activated: true, next: 'done' })
    // p0 must enroll before signing in alone: 12 characters suffice.
    const [email0, , , code0] = rows[1]!.cells
    expect(activate(email0!, code0!, 'orchard-lad-93').json()).toMatchObject({
      activated: true,
      next: 'enroll',
    })
    const imported = events().filter((e) => e.type === 'users.imported')
    expect(imported.map((e) => e.data.count)).toEqual([5, 5, 2])
    expect(imported.every((e) => e.actorId === 1 && e.data.via === 'cli')).toBe(true)
    // To stdout when there is no --output.
    writeFileSync(file, 'email,name,role\nq@example.com,Q,support\n')
    const toStdout = admin(['users', 'import', file])
    expect(toStdout.status).toBe(0)
    expect(parseCsv(toStdout.stdout)[1]!.cells.slice(0, 3)).toEqual(['q@example.com', 'Q', 'support'])
  })

  it('exports users as CSV without any secret', () => {
    okAdmin([
      'users',
      'add',
      '--email',
      'eve@example.com',
      '--name',
      '=HYPERLINK("http://x")',
      '--role',
      'member',
    ])
    const r = admin(['users', 'export'])
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
    expect(okAdmin(['users', 'export', '--output', out])).toMatchObject({ users: rows.length - 1 })
    expect(statSync(out).mode & 0o777).toBe(0o600)
  })
})

const emailsOf = (r: Record<string, unknown>): string[] =>
  (r.users as { email: string }[]).map((u) => u.email)
