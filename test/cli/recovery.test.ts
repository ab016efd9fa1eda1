import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { systemClock } from '../../src/main/adapters/clock'
import { toSessionUser } from '../../src/main/core/auth'
import type { ClientInfo } from '../../src/main/core/client'
import { PasswordPolicy } from '../../src/main/core/passwords'
import { buildServices, type Services } from '../../src/main/core/services'
import { fromBase32, totpAt } from '../../src/main/core/totp'
import { listActiveOwners } from '../../src/main/db/queries/users'
import type { Policy, Role } from '../../src/shared/schemas'
import { startFakeTwilio, type FakeTwilio } from '../fixtures/fake-twilio'
import { sqlAll, sqlGet, sqlValue } from '../fixtures/sql'
import { tempDir } from '../fixtures/temp'
import {
  ageAccounts,
  allOutput,
  AS_OWNER,
  auditEvents,
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
  tesseraAsync,
  type CliRun,
  twilioConfigArgs,
} from './helpers'

const PASSWORD = 'a long and private passphrase 7'
const MESSAGE = 'My phone was stolen on the train this morning.'
const CONTACT = 'Desk 4B, extension 2210'
const ACCESS_CODE = /^ {2}((?:[A-Z2-9]{5}-){5}[A-Z2-9])$/m
const SLOW = 180_000
const setupClient: ClientInfo = { via: 'cli', machine: 'test-setup' }

interface Person {
  id: number
  email: string
  /** The backup codes of a person with 2FA (each signs them in once, as the second line of stdin). */
  backupCodes: string[]
}

describe('tessera recovery and login with a temporary access code', () => {
  let t: ReturnType<typeof tempDir>
  let db: string
  let env: NodeJS.ProcessEnv
  let fake: FakeTwilio | undefined
  const run = (args: string[], input = ''): CliRun => tessera(['--db', db, ...args], { input, env })
  /** For runs that send an SMS to the fake Twilio, which answers from this process. */
  const runAsync = (args: string[], input = ''): Promise<CliRun> =>
    tesseraAsync(['--db', db, ...args], { input, env })
  /**
   * An agent command run --as the agent, with their password on stdin (agents here have no 2FA unless
   * a test gives a second line, such as a backup code).
   */
  const as = (agent: Person, args: string[], input = `${PASSWORD}\n`): CliRun =>
    run(['recovery', ...args, '--as', agent.email], input)
  const asOwner = (args: string[]): CliRun => run(['recovery', ...args, ...AS_OWNER], ownerStdin())
  const requestArgs = (p: Person, ...extra: string[]): string[] => [
    'recovery',
    'request',
    '--email',
    p.email,
    '--message',
    MESSAGE,
    '--contact',
    CONTACT,
    ...extra,
  ]
  const fileRequest = (p: Person, ...extra: string[]): CliRun =>
    run(requestArgs(p, ...extra), `${PASSWORD}\n`)
  const loginWithCode = (p: Person, code: string, ...extra: string[]): CliRun =>
    run(['login', '--email', p.email, '--access-code', '-', ...extra], `${PASSWORD}\n${code}\n`)
  const events = () => auditEvents(db, env)
  const ok = (r: CliRun): CliRun => {
    expect(r.status, r.stderr || r.stdout).toBe(0)
    return r
  }

  /** Prepares state in this process, the way an administrator's earlier sessions would have left it. */
  async function withServices<T>(fn: (s: Services) => Promise<T> | T): Promise<T> {
    const opened = await openForTampering(db)
    const services = buildServices(opened, {
      clock: systemClock,
      passwordPolicy: new PasswordPolicy(new Set()),
    })
    try {
      return await fn(services)
    } finally {
      await services.close()
    }
  }
  const setPolicy = (update: Partial<Policy>) => withServices((s) => s.policy.update(update, null))

  /**
   * Invited by the owner, activated; with an authenticator (required) unless `twoFactor: false` (then
   * not required either, so the password alone signs them in for --as); maybe a verified phone, whose
   * code arrives at the fake Twilio (configure it first).
   */
  const addPerson = (
    role: Role,
    email: string,
    opts: { twoFactor?: boolean; phone?: string } = {},
  ): Promise<Person> =>
    withServices(async (s) => {
      const owner = toSessionUser((await listActiveOwners(s.db))[0]!)
      const local = email.split(/[.@]/)[0]!
      const name = local[0]!.toUpperCase() + local.slice(1)
      const twoFactor = opts.twoFactor !== false
      const inv = await s.users.create({ email, name, role, requireTwoFactor: twoFactor }, owner, setupClient)
      await s.users.activate(email, inv.code!, PASSWORD, setupClient)
      let backupCodes: string[] = []
      if (twoFactor) {
        const start = await s.twoFactor.startEnrollment({ id: inv.userId, email }, setupClient)
        const code = await totpAt(
          { secret: fromBase32(start.secret), algorithm: 'sha1', digits: 6, period: 30 },
          Date.now(),
        )
        backupCodes = (await s.twoFactor.confirmEnrollment(inv.userId, code, setupClient)).backupCodes
      }
      if (opts.phone) {
        await s.phones.begin(inv.userId, { e164: opts.phone }, setupClient)
        const sent = fake!.messages.filter((m) => m.to === opts.phone).at(-1)!
        await s.phones.verify(inv.userId, /\b(\d{6})\b/.exec(sent.body)![1]!, setupClient)
      }
      return { id: inv.userId, email, backupCodes }
    })

  let sam: Person
  let sue: Person
  let mia: Person

  beforeAll(ensureCliBuilt)
  beforeEach(async () => {
    t = tempDir()
    db = join(t.dir, 'tessera.db')
    env = initPassphraseDb(db)
    sam = await addPerson('support', 'sam.support@example.com', { twoFactor: false })
    sue = await addPerson('support', 'sue.support@example.com', { twoFactor: false })
    mia = await addPerson('member', 'mia@example.com')
  }, SLOW)
  afterEach(async () => {
    await fake?.close()
    fake = undefined
    t.cleanup()
  })
  afterAll(() => {
    for (const out of allOutput) {
      expect(out).not.toContain(PASSWORD)
      expect(out).not.toContain(OWNER_PASSWORD)
      expect(out).not.toContain(DB_PASSPHRASE)
    }
  })

  it(
    'files a request, records checks and an approval, shows a code once, and that code logs in once, into enrollment',
    async () => {
      await setPolicy({ recoveryCoolingOffMinutes: 0 })
      expect(
        run(
          ['recovery', 'request', '--email', mia.email, '--message', MESSAGE, '--contact', CONTACT],
          'not the password\n',
        ).status,
      ).toBe(3)
      const short = run(
        ['recovery', 'request', '--email', mia.email, '--message', 'lost', '--contact', CONTACT],
        `${PASSWORD}\n`,
      )
      expect(short.status).toBe(2)
      expect(short.stderr).toMatch(/--message: Tell support in a few words what happened/)

      const filed = ok(fileRequest(mia))
      expect(filed.stdout).toMatch(/^Asked support for help: request #1, open; it expires at \d{4}-/)
      expect(filed.stdout).toContain('No verified emergency phone was told')
      expect(filed.stdout).toContain(`tessera login --email ${mia.email} --access-code -`)
      const again = fileRequest(mia, '--json')
      expect(again.status).toBe(7)
      expect(again.json().error).toMatchObject({
        code: 'CONFLICT',
        message: expect.stringMatching(/already asked support .*request #1, open/) as unknown,
      })

      // Recovery work is always done by a named person: not anonymously, not by the key holder.
      const anonymous = run(['recovery', 'list', '--json'])
      expect(anonymous.status).toBe(2)
      expect(anonymous.json().error).toMatchObject({ code: 'USAGE', reason: 'WHO_ARE_YOU' })
      const keyHolder = run(['recovery', 'list', ...KEY_HOLDER], keyHolderStdin())
      expect(keyHolder.status).toBe(2)
      expect(keyHolder.stderr).toMatch(/Unknown option --key-holder/)

      const queue = ok(as(sam, ['list', '--json'])).json()
      expect(queue).toMatchObject({
        liveCount: 1,
        nextBefore: null,
        requests: [
          { id: 1, status: 'open', user: { email: mia.email, role: 'member' }, approvalsRequired: 1 },
        ],
      })
      expect((queue.requests as { createdAt: string }[])[0]!.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/)
      const table = ok(as(sam, ['list'])).stdout
      expect(table).toMatch(/^ID\s+STATUS\s+EMAIL/)
      expect(table).toMatch(/#1\s+open\s+mia@example\.com\s+Mia\s+member/)

      const early = as(sam, ['approve', '--id', '1'])
      expect(early.status).toBe(7)
      expect(early.stderr).toMatch(/at least 2 identity checks before approving \(0 so far\)/)
      const unknown = as(sam, ['check', '--id', '1', '--checks', 'photo_id,shoe_size'])
      expect(unknown.status).toBe(2)
      expect(unknown.stderr).toMatch(/unknown check "shoe_size".*callback_known_number, photo_id/)
      expect(
        as(sam, ['check', '--id', '1', '--checks', 'photo_id', '--checks', 'manager_confirmed']).status,
      ).toBe(2)

      const checked = ok(
        as(sam, [
          'check',
          '--id',
          '1',
          '--checks',
          'callback_known_number,photo_id',
          '--note',
          'Called back on the directory number; matched the badge photo on video.',
          '--json',
        ]),
      ).json()
      expect(checked).toMatchObject({
        status: 'verifying',
        checkCount: 2,
        checks: [
          { check: 'callback_known_number', by: { email: sam.email } },
          { check: 'photo_id', by: { email: sam.email } },
        ],
        notes: [{ by: { email: sam.email } }],
        actions: { approve: { allowed: true } },
      })
      // --agent is the recovery commands' other name for --as.
      const approved = ok(run(['recovery', 'approve', '--id', '1', '--agent', sue.email], `${PASSWORD}\n`))
      expect(approved.stdout).toContain('Approved request #1 (Mia <mia@example.com>), 1/1 approvals.')
      expect(approved.stdout).toContain('can be issued now: tessera recovery issue-code --id 1')

      // No verified phone: the agent gets the code, once. Issuing again replaces it.
      const first = ok(as(sue, ['issue-code', '--id', '1', '--json'])).json()
      expect(first).toMatchObject({
        requestId: 1,
        delivery: 'agent',
        code: expect.stringMatching(/^([A-Z2-9]{5}-){5}[A-Z2-9]$/) as unknown,
        user: { email: mia.email },
      })
      const issued = ok(as(sam, ['issue-code', '--id', '1']))
      const code = ACCESS_CODE.exec(issued.stdout)?.[1] ?? ''
      expect(code).not.toBe('')
      expect(code).not.toBe(first.code)
      expect(issued.stdout).toMatch(/Read it out to the person now.*It will never be shown again/)

      const inArgv = run(['login', '--email', mia.email, '--access-code', code], `${PASSWORD}\n`)
      expect(inArgv.status).toBe(2)
      expect(inArgv.stderr).toMatch(/never taken from the command line.*--access-code -/)
      expect(inArgv.stderr).not.toContain(code)
      const noCode = run(['login', '--email', mia.email, '--access-code', '-'], `${PASSWORD}\n`)
      expect(noCode.status).toBe(2)
      expect(noCode.stderr).toMatch(/as the line after the password/)
      const both = run(
        ['login', '--email', mia.email, '--code', '123456', '--access-code', '-'],
        `${PASSWORD}\n`,
      )
      expect(both.status).toBe(2)
      const replaced = loginWithCode(mia, first.code as string)
      expect(replaced.status).toBe(19)
      expect(replaced.stderr).toMatch(/replaced/)

      const accepted = ok(loginWithCode(mia, code.toLowerCase()))
      expect(accepted.stdout).toContain('Accepted by temporary access code: Mia <mia@example.com> (member)')
      expect(accepted.stdout).toContain('The old authenticator and its backup codes are revoked.')
      expect(accepted.stdout).toContain(
        `Enroll a new authenticator now: tessera 2fa enroll --email ${mia.email}`,
      )
      // Once only: with the authenticator gone there is nothing left to recover.
      const twice = loginWithCode(mia, code, '--json')
      expect(twice.status).toBe(23)
      expect(twice.json().error).toMatchObject({ code: 'ENROLLMENT_REQUIRED' })
      expect(ok(run(['2fa', 'status', '--email', mia.email, '--json'])).json()).toMatchObject({
        enrolled: false,
        backupCodesTotal: 0,
      })

      const shown = ok(as(sam, ['show', '--id', '1'])).stdout
      expect(shown).toMatch(/^Request {7}#1, completed$/m)
      expect(shown).toContain(`Message       ${MESSAGE}`)
      expect(shown).toContain('Phone         none verified')
      expect(shown).toMatch(/Approvals {5}1\/1\n {2}by Sue <sue\.support@example\.com>/)
      expect(shown).toMatch(/by Sue <sue\.support@example\.com>, shown to the agent; revoked at /)
      expect(shown).toMatch(/by Sam <sam\.support@example\.com>, shown to the agent; used at /)
      expect(shown).toContain(
        'issue-code  no: The request is completed; only an approved request gets a code.',
      )
      expect(shown).not.toContain(code)
      const detail = ok(as(sam, ['show', '--id', '1', '--json'])).json()
      expect(detail).toMatchObject({ status: 'completed', approvals: 1, twoFactor: { enrolled: false } })
      // The facts an agent decides with, times as ISO 8601 like the rest.
      const facts = detail.facts as { failures: { latestAt: unknown }; phoneVerifiedAt: unknown }
      expect(facts, JSON.stringify(facts)).toMatchObject({
        phoneVerifiedAt: null,
        otherRequests: { count: 0 },
      })
      expect(
        facts.failures.latestAt === null || /^\d{4}-\d\d-\d\dT/.test(String(facts.failures.latestAt)),
      ).toBe(true)
      expect(shown).toContain('Phone verified never (no verified phone)')
      expect(JSON.stringify(detail)).not.toContain(code)

      await withServices(async (s) => {
        expect(await sqlValue(s.db, 'SELECT status FROM recovery_requests WHERE id = 1')).toBe('completed')
        const codes = await sqlAll<{
          delivery: string
          issued_by: number
          used_at: number | null
          revoked_at: number | null
        }>(s.db, 'SELECT delivery, issued_by, used_at, revoked_at FROM access_codes ORDER BY id')
        expect(
          codes.map((c) => [c.delivery, c.issued_by, c.used_at !== null, c.revoked_at !== null]),
        ).toEqual([
          ['agent', sue.id, false, true],
          ['agent', sam.id, true, false],
        ])
        const stored = JSON.stringify(await sqlAll(s.db, 'SELECT * FROM access_codes'))
        expect(stored).not.toContain(code.replace(/-/g, ''))
        expect(await sqlValue(s.db, 'SELECT count(*) FROM totp_credentials WHERE user_id = ?', mia.id)).toBe(
          0,
        )
      })

      const trail = events()
      expect(
        trail.filter((e) => e.type.startsWith('recovery.')).map((e) => [e.type, e.actorId, e.data.via]),
      ).toEqual([
        ['recovery.requested', mia.id, 'cli'],
        ['recovery.verifying', sam.id, 'cli'],
        ['recovery.checks_recorded', sam.id, 'cli'],
        ['recovery.approval_recorded', sue.id, 'cli'],
        ['recovery.approved', sue.id, 'cli'],
        ['recovery.code_issued', sue.id, 'cli'],
        ['recovery.code_issued', sam.id, 'cli'],
        ['recovery.completed', mia.id, 'cli'],
      ])
      expect(trail.some((e) => e.type === '2fa.revoked_after_support_recovery')).toBe(true)
      const exported = JSON.stringify(trail)
      expect(exported).not.toContain(code)
      expect(exported).not.toContain(first.code as string)
      expect(exported).not.toContain(MESSAGE)
      expect(ok(run(['audit', 'verify'])).stdout).toMatch(/^Audit chain intact/)
    },
    SLOW,
  )

  it(
    'needs two independent approvers of rank for an admin, enforces the cooling-off period, and keeps members, support and the subject out',
    async () => {
      // The policy asks for no cooling-off at all; an admin's request still waits at least 15 minutes.
      await setPolicy({ recoveryCoolingOffMinutes: 0 })
      const adm = await addPerson('admin', 'abe.admin@example.com')
      const ann = await addPerson('admin', 'ann.admin@example.com', { twoFactor: false })
      const al = await addPerson('admin', 'al.admin@example.com', { twoFactor: false })
      const tom = await addPerson('support', 'tom.support@example.com')
      ok(fileRequest(adm))

      // Mia has 2FA: her backup code on the second line signs her in; a member still may not work the queue.
      const member = as(mia, ['list'], `${PASSWORD}\n${mia.backupCodes[0]!}\n`)
      expect(member.status).toBe(9)
      expect(member.stderr).toMatch(/mia@example\.com is a member: this needs owner or admin or support/)
      expect(as(mia, ['list']).status).toBe(22)
      expect(as(ann, ['check', '--id', '1', '--checks', 'photo_id'], 'not the password\n').status).toBe(3)
      expect(as(ann, ['show', '--id', '99']).status).toBe(24)
      // A support agent may not work on an administrator's request.
      const support = as(sam, ['check', '--id', '1', '--checks', 'photo_id,manager_confirmed'])
      expect(support.status).toBe(9)
      expect(support.stderr).toMatch(/Only an admin or owner can work on an administrator's recovery request/)

      ok(as(ann, ['check', '--id', '1', '--checks', 'photo_id,manager_confirmed']))
      // With the real clock every account here is new: none may approve removing an admin's second factor.
      const tooNew = as(ann, ['approve', '--id', '1', '--json'])
      expect(tooNew.status).toBe(7)
      expect(tooNew.json().error).toMatchObject({
        code: 'CONFLICT',
        message: expect.stringMatching(/created, invited or activated in the last 7 days/) as unknown,
      })
      // As if Ann, Al and the owner had been here for a week.
      await ageAccounts(db, [ann.email, al.email, OWNER_EMAIL])

      const one = ok(as(ann, ['approve', '--id', '1', '--note', 'Manager confirmed by phone.']))
      expect(one.stdout).toContain(
        'Recorded your approval of request #1 (Abe <abe.admin@example.com>): 1/2 approvals.',
      )
      expect(one.stdout).toContain("An admin account needs another agent's approval too")
      const same = as(ann, ['approve', '--id', '1'])
      expect(same.status).toBe(7)
      expect(same.stderr).toMatch(/You already approved this request/)
      expect(as(ann, ['issue-code', '--id', '1']).status).toBe(7)
      // The owner created Ann's account, so the owner is not independent of her.
      const creator = asOwner(['approve', '--id', '1'])
      expect(creator.status).toBe(7)
      expect(creator.stderr).toMatch(/You created the other approver's account/)

      const two = ok(as(al, ['approve', '--id', '1', '--json'])).json()
      expect(two).toMatchObject({
        status: 'approved',
        approvals: 2,
        approvalsRequired: 2,
        approvalsBy: [{ by: { email: ann.email } }, { by: { email: al.email } }],
        decidedBy: { email: al.email },
      })
      const effectiveAt = Date.parse(two.effectiveAt as string)
      expect(effectiveAt).toBeGreaterThan(Date.now() + 14 * 60_000)
      expect(effectiveAt).toBeLessThanOrEqual(Date.now() + 15 * 60_000)
      const cooling = as(al, ['issue-code', '--id', '1', '--json'])
      expect(cooling.status).toBe(7)
      expect(cooling.json().error).toMatchObject({
        code: 'CONFLICT',
        message: expect.stringMatching(/cooling-off period lasts until/) as unknown,
      })
      expect((cooling.json().error as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(800)
      const denied = ok(as(al, ['deny', '--id', '1', '--reason', 'The caller could not be reached back']))
      expect(denied.stdout).toContain(
        'Denied request #1 (Abe <abe.admin@example.com>): The caller could not be reached back',
      )
      expect(ok(asOwner(['show', '--id', '1'])).stdout).toContain(
        'Denied        The caller could not be reached back',
      )
      expect(as(al, ['deny', '--id', '1', '--reason', 'Once more']).status).toBe(7)

      // An agent's own request: they see it, but cannot work on it. Tom has 2FA: a backup code each time.
      ok(fileRequest(tom))
      const asTom = (args: string[], slot: number) =>
        as(tom, args, `${PASSWORD}\n${tom.backupCodes[slot]!}\n`)
      const own = asTom(['check', '--id', '2', '--checks', 'photo_id'], 0)
      expect(own.status).toBe(9)
      expect(own.stderr).toMatch(/about their own account/)
      expect(asTom(['deny', '--id', '2', '--reason', 'Not me'], 1).status).toBe(9)
      const ownView = ok(asTom(['show', '--id', '2'], 2)).stdout
      expect(ownView).toContain('Next steps, as tom.support@example.com:')
      expect(ownView).toContain(
        'check       no: Nobody may work on a recovery request about their own account.',
      )
      expect(ownView).toContain(
        'deny        no: Nobody may work on a recovery request about their own account.',
      )
      // The owner, named with --as, denies it.
      ok(asOwner(['deny', '--id', '2', '--reason', 'Asked by mistake']))

      // Nothing to recover for an account without two-factor authentication.
      const owner = run(
        ['recovery', 'request', '--email', OWNER_EMAIL, '--message', MESSAGE, '--contact', CONTACT],
        `${OWNER_PASSWORD}\n`,
      )
      expect(owner.status).toBe(23)
      expect(owner.stderr).toMatch(/no two-factor authentication, so there is nothing to recover/)

      const list = ok(asOwner(['list', '--status', 'denied', '--json'])).json()
      expect((list.requests as { id: number }[]).map((r) => r.id)).toEqual([2, 1])
      expect(list.liveCount).toBe(0)
      const recovery = events().filter((e) => e.type.startsWith('recovery.'))
      expect(recovery.filter((e) => e.type === 'recovery.approval_recorded').map((e) => e.actorId)).toEqual([
        ann.id,
        al.id,
      ])
      expect(recovery.find((e) => e.type === 'recovery.approved')?.data).toMatchObject({
        approvers: [ann.id, al.id],
      })
      const ownerId = await withServices(async (s) => (await listActiveOwners(s.db))[0]!.id)
      expect(
        recovery.filter((e) => e.type === 'recovery.denied').map((e) => [e.actorId, e.subjectId]),
      ).toEqual([
        [al.id, adm.id],
        [ownerId, tom.id],
      ])
      expect(ok(run(['audit', 'verify'])).status).toBe(0)
    },
    SLOW,
  )

  it(
    'sends the code by SMS to a verified phone, where the agent never sees it',
    async () => {
      await setPolicy({ recoveryCoolingOffMinutes: 0 })
      fake = await startFakeTwilio()
      ok(run([...twilioConfigArgs(fake), ...AS_OWNER], ownerStdin(fake.authToken)))
      const noa = await addPerson('member', 'noa@example.com', { phone: '+34612345123' })
      const filed = ok(await runAsync(requestArgs(noa, '--json'), `${PASSWORD}\n`)).json()
      expect(filed).toMatchObject({ requestId: 1, status: 'open', notifiedPhone: '+34 ••• ••• 123' })
      ok(
        await runAsync(
          ['recovery', 'check', '--id', '1', '--checks', 'photo_id,account_details', ...AS_OWNER],
          ownerStdin(),
        ),
      )
      ok(await runAsync(['recovery', 'approve', '--id', '1', ...AS_OWNER], ownerStdin()))
      const issued = ok(await runAsync(['recovery', 'issue-code', '--id', '1', ...AS_OWNER], ownerStdin()))
      expect(issued.stdout).toMatch(/^Sent a temporary access code by SMS to \+34 ••• ••• 123 .*until \d{4}-/)
      const sms = fake.messages.at(-1)!
      expect(sms.to).toBe('+34612345123')
      const code = /code is ([A-Z0-9-]+)\./.exec(sms.body)![1]!
      // Once sent, the outbox keeps only the masked text: the code is nowhere in the database.
      const stored = (await withServices((s) =>
        sqlGet<{ body: string; display_text: string; status: string }>(
          s.db,
          "SELECT body, display_text, status FROM sms_outbox WHERE kind = 'access_code'",
        ),
      ))!
      expect(stored.status).toBe('sent')
      expect(stored.body).toBe(stored.display_text)
      expect(stored.body).not.toContain(code)
      expect(ok(loginWithCode(noa, code, '--json')).json()).toMatchObject({
        accepted: true,
        user: { email: noa.email },
        secondFactor: 'access_code',
        mustEnroll: true,
        next: `tessera 2fa enroll --email ${noa.email}`,
      })
      expect(allOutput.join('\n')).not.toContain(code)
      expect(events().find((e) => e.type === 'recovery.code_issued')).toMatchObject({
        actorId: 1,
        data: { delivery: 'sms', phone: '+34 ••• ••• 123', via: 'cli' },
      })
      expect(ok(run(['audit', 'verify'])).status).toBe(0)
    },
    SLOW,
  )
})
