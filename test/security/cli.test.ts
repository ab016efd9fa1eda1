import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fromBase32, totpAt } from '../../src/main/core/totp'
import {
  auditEvents,
  DB_PASSPHRASE,
  ensureCliBuilt,
  initPassphraseDb,
  OWNER_EMAIL,
  OWNER_PASSWORD,
  tessera,
  type CliRun,
} from '../cli/helpers'
import { tempDir } from '../fixtures/temp'

const ADMIN = 'adam.admin@example.com'
const MEMBER = 'mia.member@example.com'
const SUPPORT = 'sam.support@example.com'
const PASSWORD = 'quiet-orchard-ladder-93'

// Attack: the CLI acted as the first owner with no authentication at all, and the audit trail named that
// owner for actions they never took. Rule 7: administrative and agent commands take --as EMAIL with that
// person's password (and second factor) on stdin and run with that person's role; --key-holder is an
// emergency mode that needs the database key and is recorded as "key holder", never as a person.
// Rule 8: no one-time code is accepted in argv.
describe('the CLI acts as a real, authenticated person', () => {
  let t: ReturnType<typeof tempDir>
  let db: string
  let env: NodeJS.ProcessEnv
  let adminSecret: Uint8Array
  let adminBackupCodes: string[]
  const run = (args: string[], input = ''): CliRun => tessera(['--db', db, ...args, '--json'], { input, env })
  const asOwner = (args: string[], extra = ''): CliRun =>
    run([...args, '--as', OWNER_EMAIL], `${OWNER_PASSWORD}\n${extra}`)
  const ok = (r: CliRun): Record<string, unknown> => {
    expect(r.status, r.stdout + r.stderr).toBe(0)
    return r.json()
  }
  // The real clock runs here: each app code may be used once, so later sign-ins use backup codes.
  const adminCode = (at = Date.now()) =>
    totpAt({ secret: adminSecret, algorithm: 'sha1', digits: 6, period: 30 }, at)
  const errorOf = (r: CliRun) =>
    (r.json() as { error: { code: string; reason: string; message: string } }).error

  /** Adds and activates a person through the CLI; they have no 2FA (and none is required) yet. */
  const addActive = (email: string, role: string) => {
    const added = ok(
      asOwner([
        'users',
        'add',
        '--email',
        email,
        '--name',
        email.split('@')[0]!,
        '--role',
        role,
        '--no-require-2fa',
      ]),
    )
    ok(
      run(
        ['users', 'activate', '--email', email, '--code', '-'],
        `${PASSWORD}\n${added.invitationCode as string}\n`,
      ),
    )
  }

  beforeAll(async () => {
    await ensureCliBuilt()
    t = tempDir()
    db = join(t.dir, 'tessera.db')
    env = initPassphraseDb(db)
    addActive(ADMIN, 'admin')
    addActive(MEMBER, 'member')
    addActive(SUPPORT, 'support')
    const enrolled = ok(run(['2fa', 'enroll', '--email', ADMIN], `${PASSWORD}\n`))
    adminSecret = fromBase32(enrolled.manualKey as string)
    const confirmed = ok(
      run(['2fa', 'confirm', '--email', ADMIN, '--code', await adminCode()], `${PASSWORD}\n`),
    )
    adminBackupCodes = confirmed.backupCodes as string[]
  })
  afterAll(() => t.cleanup())

  it('refuses an administrative command that does not say who runs it', () => {
    const r = run(['users', 'add', '--email', 'x@example.com', '--name', 'X', '--role', 'member'])
    expect(r.status).toBe(2)
    expect(errorOf(r)).toMatchObject({ code: 'USAGE', reason: 'WHO_ARE_YOU' })
    expect(run(['users', 'list']).status).toBe(2)
    expect(run(['recovery', 'list']).status).toBe(2)
    expect(run(['sms', 'config', '--provider', 'outbox']).status).toBe(2)
  })

  it('checks the password and refuses a role that may not do it', () => {
    const wrong = run(['users', 'list', '--as', OWNER_EMAIL], 'not the owner password\n')
    expect(wrong.status).toBe(3)
    const member = run(['users', 'list', '--as', MEMBER], `${PASSWORD}\n`)
    expect(member.status).toBe(9)
    const support = run(
      ['users', 'add', '--email', 'y@example.com', '--name', 'Y', '--role', 'member', '--as', SUPPORT],
      `${PASSWORD}\n`,
    )
    expect(support.status).toBe(9)
    const supportSms = run(['sms', 'config', '--provider', 'outbox', '--as', SUPPORT], `${PASSWORD}\n`)
    expect(supportSms.status).toBe(9)
  })

  it('asks a person with 2FA for the second factor on the second line, and names them in the trail', async () => {
    const noCode = run(
      ['users', 'add', '--email', 'z@example.com', '--name', 'Z', '--role', 'member', '--as', ADMIN],
      `${PASSWORD}\n`,
    )
    expect(noCode.status).toBe(22)
    const added = ok(
      run(
        ['users', 'add', '--email', 'z@example.com', '--name', 'Z', '--role', 'member', '--as', ADMIN],
        // The next time step's code (±1 is accepted): always after the one the enrollment used, even when a
        // step boundary passes while the CLI starts.
        `${PASSWORD}\n${await adminCode(Date.now() + 30_000)}\n`,
      ),
    )
    const created = auditEvents(db, env).find(
      (e) => e.type === 'user.created' && e.subjectId === added.userId,
    )!
    const adminId = (ok(asOwner(['users', 'show', '--email', ADMIN])).user as { id: number }).id
    expect(created.actorId).toBe(adminId)
    expect(created.data).toMatchObject({ via: 'cli' })
    // And an owner-only rule holds for that admin just as in the console.
    const owner = run(
      ['users', 'add', '--email', 'o2@example.com', '--name', 'O', '--role', 'owner', '--as', ADMIN],
      `${PASSWORD}\n${adminBackupCodes[0]}\n`,
    )
    expect(owner.status).toBe(9)
  })

  it("keeps --agent as the recovery commands' name for --as", () => {
    expect(ok(run(['recovery', 'list', '--agent', SUPPORT], `${PASSWORD}\n`))).toHaveProperty('requests')
  })

  it('has an emergency key-holder mode that needs the key, warns, and is never recorded as a person', () => {
    const without = run(
      ['users', 'unlock', '--email', MEMBER, '--key-holder'],
      'not the database passphrase\n',
    )
    expect(without.status).toBe(11)
    const r = run(['users', 'unlock', '--email', MEMBER, '--key-holder'], `${DB_PASSPHRASE}\n`)
    expect(r.status, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/key holder/i)
    const unlocked = auditEvents(db, env)
      .filter((e) => e.type === 'user.unlocked')
      .at(-1)!
    expect(unlocked.actorId).toBeNull()
    expect(unlocked.data).toMatchObject({ actor: 'key-holder', via: 'cli' })
  })

  it('refuses one-time codes in argv: invitation, backup, SMS and access codes', () => {
    const cases: string[][] = [
      ['users', 'activate', '--email', 'q@example.com', '--code', 'AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-A'],
      ['login', '--email', MEMBER, '--backup-code', '7KQ2M-XD94P'],
      ['login', '--email', MEMBER, '--sms-code', '123456'],
      ['login', '--email', MEMBER, '--access-code', 'AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-A'],
      ['phone', 'verify', '--email', MEMBER, '--code', '123456'],
      ['2fa', 'disable', '--email', MEMBER, '--backup-code', '7KQ2M-XD94P'],
    ]
    for (const args of cases) {
      const r = run(args, `${PASSWORD}\n`)
      expect(r.status, args.join(' ')).toBe(2)
      expect(errorOf(r).reason, args.join(' ')).toBe('SECRET_IN_ARGV')
      expect(r.stdout + r.stderr).not.toContain(args.at(-1)!)
    }
  })

  it("applies a role changed by the CLI to that person's next command", () => {
    // Sessions of the console are covered in sessions.test.ts; here the CLI sees the change at once.
    ok(asOwner(['users', 'role', '--email', SUPPORT, '--role', 'member']))
    expect(run(['recovery', 'list', '--as', SUPPORT], `${PASSWORD}\n`).status).toBe(9)
  })
})
