import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startBackend } from '../../../test/fixtures/harness'
import { startFakeTwilio } from '../../../test/fixtures/fake-twilio'
import { connectPhones, type Phones } from '../../../test/fixtures/phones'
import { sqlAll, sqlValue } from '../../../test/fixtures/sql'
import { listSms } from '../db/queries/sms'
import type {
  AccessCodeIssuedDto,
  EnrollmentStartDto,
  InvitationDto,
  RecoveryFiledDto,
  RecoveryRequestDetailDto,
  RecoveryRequestPage,
  SessionState,
} from '../../shared/dto'
import type { Result } from '../../shared/result'
import type { Role } from '../../shared/schemas'
import { fromBase32, totpAt } from '../core/totp'

type Harness = Awaited<ReturnType<typeof startBackend>>
const codeOf = (r: Result<unknown>) => (r.ok ? 'OK' : r.error.code)
const value = <T>(r: Result<unknown>): T => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`)
  return r.value as T
}

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const PASSWORD = 'a long and private passphrase 7'
const ASK = { message: 'My phone was stolen on the train this morning.', contact: 'Desk 4B, extension 2210' }

interface Person {
  id: number
  email: string
  client: string
  secret?: Uint8Array
}

describe('support recovery of a lost device, through the gate', () => {
  let h: Harness
  let phones: Phones
  const db = () => h.backend.services().db
  const appCode = (p: Person) =>
    totpAt({ secret: p.secret!, algorithm: 'sha1', digits: 6, period: 30 }, h.clock.now())
  const auditRows = () =>
    sqlAll<{
      type: string
      actor_id: number | null
      subject_id: number | null
      data: string
    }>(db(), 'SELECT type, actor_id, subject_id, data FROM audit_events ORDER BY seq')
  /** The newest message in the outbox, as Tessera reads it (number and body opened on a team database). */
  const lastSms = async () => (await listSms(db(), undefined, 1))[0]!

  /** Invited by the owner, activated with the invitation, enrolled in 2FA; optionally a verified phone. */
  const addPerson = async (role: Role, email: string, opts: { phone?: string } = {}): Promise<Person> => {
    const inv = value<InvitationDto>(await h.call('users.create', { email, name: email.split('@')[0], role }))
    const p: Person = { id: inv.userId, email, client: `pc-${email}` }
    value(await h.call('auth.activate', { email, code: inv.code, password: PASSWORD }, p.client))
    const start = value<EnrollmentStartDto>(
      await h.call('twoFactor.startEnrollment', { password: PASSWORD }, p.client),
    )
    p.secret = fromBase32(start.manualKey)
    value(await h.call('twoFactor.confirmEnrollment', { code: await appCode(p) }, p.client))
    if (opts.phone) {
      const n = opts.phone
      value(
        await h.call(
          'phone.start',
          { number: n, numberConfirm: n, notAuthenticatorPhone: true, password: PASSWORD },
          p.client,
        ),
      )
      const code = phones.lastCode()
      value(await h.call('phone.verify', { code }, p.client))
    }
    value(await h.call('auth.logout', {}, p.client))
    h.clock.advance(30_000)
    return p
  }
  /** Email and password: the login waits at the second step. */
  const password = async (p: Person) => {
    value(await h.call('auth.login', { email: p.email, password: PASSWORD }, p.client))
    expect(value<SessionState>(await h.call('session.state', {}, p.client)).phase).toBe('second-factor')
  }
  const fileRequest = async (p: Person) => {
    await password(p)
    return value<RecoveryFiledDto>(await h.call('auth.requestRecovery', ASK, p.client))
  }
  const as = (agent: Person, method: string, input: object) => h.call(method, input, agent.client)
  const signIn = async (agent: Person) => {
    await password(agent)
    value(await h.call('auth.verifySecondFactor', { code: await appCode(agent) }, agent.client))
    h.clock.advance(30_000)
  }
  /** Time passes; the agents keep their consoles awake (they lock after an hour idle at most). */
  const wait = async (ms: number) => {
    for (let left = ms; left > 0; left -= 30 * MINUTE) {
      h.clock.advance(Math.min(left, 30 * MINUTE))
      for (const agent of [support, support2]) await h.call('session.touch', {}, agent.client)
      await h.call('session.touch', {}, 'window-1')
    }
  }
  const detail = async (agent: Person, requestId: number) =>
    value<RecoveryRequestDetailDto>(await as(agent, 'recovery.get', { requestId }))
  const checkTwice = async (agent: Person, requestId: number) =>
    value<RecoveryRequestDetailDto>(
      await as(agent, 'recovery.check', {
        requestId,
        checks: ['callback_known_number', 'photo_id'],
        note: 'Called back on the directory number; matched the badge photo on video.',
      }),
    )

  let support: Person
  let support2: Person
  beforeEach(async () => {
    h = await startBackend()
    await h.setup()
    phones = await connectPhones(h.backend)
    value(await h.call('policy.update', { idleLockMinutes: 60, recoveryCoolingOffMinutes: 60 }))
    support = await addPerson('support', 'sam.support@example.com')
    support2 = await addPerson('support', 'sue.support@example.com')
    await signIn(support)
    await signIn(support2)
  })
  afterEach(async () => {
    await h.cleanup()
    await phones.close()
  })

  it('files a request after the password, tells the verified phone, and allows one live request', async () => {
    const mia = await addPerson('member', 'mia@example.com', { phone: '+34612345123' })
    const filed = await fileRequest(mia)
    expect(filed).toEqual({
      requestId: 1,
      status: 'open',
      expiresAt: h.clock.now() + 72 * HOUR,
      notifiedPhone: '+34 ••• ••• 123',
    })
    // The attempt ends: the shared machine goes back to sign-in.
    expect(value<SessionState>(await h.call('session.state', {}, mia.client)).phase).toBe('signed-out')
    expect(await lastSms()).toMatchObject({ to_e164: '+34612345123', kind: 'recovery_filed' })
    expect((await lastSms())!.body).toMatch(/asked Tessera support to recover your account/)
    // Without the password there is no request to file.
    expect(codeOf(await h.call('auth.requestRecovery', ASK, 'stranger'))).toBe('UNAUTHENTICATED')
    await password(mia)
    expect(await h.call('auth.requestRecovery', ASK, mia.client)).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringMatching(/already asked support.*#1, open/) },
    })
    const queue = value<RecoveryRequestPage>(await as(support, 'recovery.list', {}))
    expect(queue.liveCount).toBe(1)
    expect(queue.requests).toMatchObject([
      { id: 1, status: 'open', user: { email: 'mia@example.com', role: 'member' }, approvalsRequired: 1 },
    ])
    const d = await detail(support, 1)
    expect(d).toMatchObject({ message: ASK.message, contact: ASK.contact, phone: '+34 ••• ••• 123' })
    expect(d.twoFactor).toEqual({ enrolled: true, backupCodesRemaining: 5 })
    // Members do not see the queue.
    value(await h.call('auth.verifySecondFactor', { code: await appCode(mia) }, mia.client))
    expect(codeOf(await h.call('recovery.list', {}, mia.client))).toBe('FORBIDDEN')
    const dash = value<{ openRecoveryRequests: number }>(await h.call('dashboard.get'))
    expect(dash.openRecoveryRequests).toBe(1)
    // The person's page shows the phone and the recovery history.
    expect(value(await as(support, 'users.get', { userId: mia.id }))).toMatchObject({
      phone: { masked: '+34 ••• ••• 123' },
      recoveryRequests: [{ id: 1, status: 'open' }],
    })
  })

  it('takes checks, an approval, the cooling-off period, then a code by SMS that works once and forces enrollment', async () => {
    const mia = await addPerson('member', 'mia@example.com', { phone: '+34612345123' })
    const { requestId } = await fileRequest(mia)
    // Approving needs two identity checks.
    expect(await as(support, 'recovery.approve', { requestId })).toMatchObject({
      ok: false,
      error: {
        code: 'CONFLICT',
        message: expect.stringMatching(/at least 2 identity checks before approving \(0 so far\)/),
      },
    })
    let d = value<RecoveryRequestDetailDto>(
      await as(support, 'recovery.check', { requestId, checks: ['photo_id'] }),
    )
    expect(d.status).toBe('verifying')
    expect(d.actions.approve).toEqual({ allowed: false, reason: expect.stringMatching(/1 so far/) })
    d = await checkTwice(support, requestId)
    expect(d.checks.map((c) => [c.check, c.by?.email])).toEqual([
      ['photo_id', support.email],
      ['callback_known_number', support.email],
    ])
    expect(d.notes).toHaveLength(1)
    d = value(await as(support, 'recovery.approve', { requestId, note: 'Identity confirmed.' }))
    expect(d).toMatchObject({ status: 'approved', approvals: 1, effectiveAt: h.clock.now() + 60 * MINUTE })
    expect((await lastSms())!.body).toMatch(/approved the request to recover your account/)
    // Cooling-off: no code for an hour.
    expect(await as(support, 'recovery.issueCode', { requestId })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringMatching(/cooling-off period lasts until/) },
    })
    await wait(60 * MINUTE)
    const issued = value<AccessCodeIssuedDto>(await as(support2, 'recovery.issueCode', { requestId }))
    expect(issued).toEqual({
      requestId,
      delivery: 'sms',
      phone: '+34 ••• ••• 123',
      expiresAt: h.clock.now() + 24 * HOUR,
      sms: { status: 'sent', lastError: null, delivery: 'sent' },
    })
    // The agent never sees the code: it is in the SMS only, and hidden in the outbox's text.
    const sms = (await lastSms())!
    expect(sms.kind).toBe('access_code')
    const code = phones.lastAccessCode()
    expect(code.replace(/-/g, '')).toHaveLength(26)
    expect(sms.display_text).not.toContain(code)
    expect(JSON.stringify(await detail(support2, requestId))).not.toContain(code)

    // The person: password, then the code; only enrollment is allowed, and the old app is revoked.
    await password(mia)
    expect(codeOf(await h.call('auth.verifyAccessCode', { code: 'A'.repeat(26) }, mia.client))).toBe(
      'INVALID_CODE',
    )
    expect(
      value(await h.call('auth.verifyAccessCode', { code: code.toLowerCase() }, mia.client)),
    ).toMatchObject({
      next: 'enroll',
    })
    expect(value<SessionState>(await h.call('session.state', {}, mia.client)).phase).toBe('enroll-required')
    expect(codeOf(await h.call('policy.get', {}, mia.client))).toBe('ENROLLMENT_REQUIRED')
    expect(value<{ enrolled: boolean }>(await h.call('twoFactor.status', {}, mia.client)).enrolled).toBe(
      false,
    )
    expect(await sqlValue(db(), 'SELECT count(*) FROM backup_codes WHERE user_id = ?', mia.id)).toBe(0)
    expect((await detail(support, requestId)).status).toBe('completed')
    // Once only.
    value(await h.call('auth.logout', {}, mia.client))
    // (No second factor left to reach: the password alone now leads to enrollment.)
    value(await h.call('auth.login', { email: mia.email, password: PASSWORD }, mia.client))
    expect(value<SessionState>(await h.call('session.state', {}, mia.client)).phase).toBe('enroll-required')
    expect(codeOf(await h.call('auth.verifyAccessCode', { code }, mia.client))).toBe('CONFLICT')

    const events = (await auditRows()).filter((e) => e.type.startsWith('recovery.'))
    expect(events.map((e) => [e.type, e.actor_id])).toEqual([
      ['recovery.requested', mia.id],
      ['recovery.verifying', support.id],
      ['recovery.checks_recorded', support.id],
      ['recovery.checks_recorded', support.id],
      ['recovery.approval_recorded', support.id],
      ['recovery.approved', support.id],
      ['recovery.code_issued', support2.id],
      ['recovery.completed', mia.id],
    ])
    const all = JSON.stringify(await auditRows())
    expect(all).not.toContain(code)
    expect(all).not.toContain(code.replace(/-/g, ''))
    expect(all).not.toContain(ASK.message)
    expect(all).not.toContain('612345123')
    expect(all).toContain('2fa.revoked_after_support_recovery')
    expect(value<{ ok: boolean }>(await h.call('audit.verify')).ok).toBe(true)
  })

  it('a code used a second time, on another request, or by someone else does not work', async () => {
    const mia = await addPerson('member', 'mia@example.com', { phone: '+34612345123' })
    const noa = await addPerson('member', 'noa@example.com')
    const { requestId } = await fileRequest(mia)
    await checkTwice(support, requestId)
    value(await as(support, 'recovery.approve', { requestId }))
    await wait(60 * MINUTE)
    value(await as(support, 'recovery.issueCode', { requestId }))
    const code = phones.lastAccessCode()
    await password(noa)
    expect(codeOf(await h.call('auth.verifyAccessCode', { code }, noa.client))).toBe('INVALID_CODE')
    // Issuing again replaces the first code.
    value(await as(support, 'recovery.issueCode', { requestId }))
    const second = phones.lastAccessCode()
    await password(mia)
    expect(await h.call('auth.verifyAccessCode', { code }, mia.client)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_CODE', message: expect.stringMatching(/replaced/) },
    })
    expect(codeOf(await h.call('auth.verifyAccessCode', { code: second }, mia.client))).toBe('OK')
    expect(
      (await detail(support, requestId)).codes.map((c) => [c.revokedAt !== null, c.usedAt !== null]),
    ).toEqual([
      [true, false],
      [false, true],
    ])
  })

  it('shows the code once to the agent when there is no phone; the code expires after 24 hours', async () => {
    const noa = await addPerson('member', 'noa@example.com')
    const filed = await fileRequest(noa)
    expect(filed.notifiedPhone).toBeNull()
    const before = await sqlValue(db(), 'SELECT count(*) FROM sms_outbox')
    await checkTwice(support, filed.requestId)
    value(await as(support, 'recovery.approve', { requestId: filed.requestId }))
    await wait(60 * MINUTE)
    const issued = value<AccessCodeIssuedDto>(
      await as(support, 'recovery.issueCode', { requestId: filed.requestId }),
    )
    expect(issued).toMatchObject({
      delivery: 'agent',
      code: expect.stringMatching(/^([A-Z2-9]{5}-){5}[A-Z2-9]$/),
    })
    expect(await sqlValue(db(), 'SELECT count(*) FROM sms_outbox')).toBe(before)
    // Stored as SHA-256 only.
    const code = (issued as { code: string }).code
    expect(JSON.stringify(await sqlAll(db(), 'SELECT * FROM access_codes'))).not.toContain(
      code.replace(/-/g, ''),
    )
    expect(JSON.stringify(await detail(support, filed.requestId))).not.toContain(code)
    h.clock.advance(24 * HOUR)
    await signIn(support)
    await password(noa)
    expect(codeOf(await h.call('auth.verifyAccessCode', { code }, noa.client))).toBe('INVALID_CODE')
    // The request outlives its code (another may be issued) until the request itself expires.
    expect((await detail(support, filed.requestId)).status).toBe('approved')
    h.clock.advance(48 * HOUR)
    await signIn(support)
    expect((await detail(support, filed.requestId)).status).toBe('expired')
  })

  it('needs two independent approvers of their rank for an admin account, and nobody works on their own request', async () => {
    const ada = await addPerson('admin', 'ada.admin@example.com')
    const ben = await addPerson('admin', 'ben.admin@example.com')
    const cat = await addPerson('admin', 'cat.admin@example.com')
    // Approvers of an admin's request must have had their accounts for a week.
    h.clock.advance(8 * 24 * HOUR)
    for (const agent of [support, support2, ben, cat]) await signIn(agent)
    const { requestId } = await fileRequest(ada)
    // Support agents rank below an admin: they cannot work the request at all.
    expect(codeOf(await as(support, 'recovery.check', { requestId, checks: ['photo_id'] }))).toBe('FORBIDDEN')
    await checkTwice(ben, requestId)
    let d = value<RecoveryRequestDetailDto>(await as(ben, 'recovery.approve', { requestId }))
    expect(d).toMatchObject({ status: 'verifying', approvals: 1, approvalsRequired: 2, effectiveAt: null })
    expect(await as(ben, 'recovery.approve', { requestId })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringMatching(/already approved/) },
    })
    expect(codeOf(await as(ben, 'recovery.issueCode', { requestId }))).toBe('CONFLICT')
    d = value(await as(cat, 'recovery.approve', { requestId }))
    expect(d).toMatchObject({ status: 'approved', approvals: 2 })
    expect(d.approvalsBy.map((a) => a.by?.email)).toEqual([ben.email, cat.email])

    // An agent's own request: visible, but nothing can be done to it by them.
    const own = await fileRequest(support)
    await signIn(support2)
    await signIn(support)
    expect(
      await as(support, 'recovery.check', { requestId: own.requestId, checks: ['photo_id'] }),
    ).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: expect.stringMatching(/own account/) },
    })
    expect(codeOf(await as(support, 'recovery.deny', { requestId: own.requestId, reason: 'mine' }))).toBe(
      'FORBIDDEN',
    )
    expect((await detail(support, own.requestId)).actions).toMatchObject({ check: false, deny: false })
  })

  it('lost both: a request with the email alone, then the access code sets a new password and leads into enrollment', async () => {
    const noa = await addPerson('member', 'noa@example.com')
    const ask = async (email: string) =>
      value<{ message: string }>(await h.call('password.askSupport', { email, ...ASK }, 'kiosk'))
    const answer = await ask(noa.email)
    expect((await ask('nobody@example.com')).message.replace('nobody@example.com', noa.email)).toBe(
      answer.message,
    )
    // A second request while one is live changes nothing, and says nothing different.
    expect((await ask(noa.email)).message).toBe(answer.message)
    const page = value<RecoveryRequestPage>(await as(support, 'recovery.list', { status: 'live' }))
    expect(page.requests).toHaveLength(1)
    expect(page.requests[0]).toMatchObject({ user: { email: noa.email }, purpose: 'both' })
    const requestId = page.requests[0]!.id
    await checkTwice(support, requestId)
    value(await as(support, 'recovery.approve', { requestId }))
    await wait(60 * MINUTE)
    const issued = value<AccessCodeIssuedDto>(await as(support, 'recovery.issueCode', { requestId }))
    const code = (issued as { code: string }).code
    const NEW = 'noa-new-harbour-password-31'
    const reset = (c: string, email = noa.email) =>
      h.call(
        'password.resetWithAccessCode',
        { email, code: c, newPassword: NEW, confirmPassword: NEW },
        'kiosk',
      )
    expect(codeOf(await reset(code, 'nobody@example.com'))).toBe('INVALID_CODE')
    // A weak password is refused alike for every address: the refusal tells nothing about accounts.
    const weak = (email: string) =>
      h.call(
        'password.resetWithAccessCode',
        {
          email,
          code: 'AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-A',
          newPassword: 'password1234',
          confirmPassword: 'password1234',
        },
        'kiosk',
      )
    expect(codeOf(await weak(noa.email))).toBe('WEAK_PASSWORD')
    expect(codeOf(await weak('nobody@example.com'))).toBe('WEAK_PASSWORD')
    expect(codeOf(await reset('AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-A'))).toBe('INVALID_CODE')
    expect(value(await reset(code))).toMatchObject({ user: { email: noa.email }, next: 'enroll' })
    expect(value<SessionState>(await h.call('session.state', {}, 'kiosk')).phase).toBe('enroll-required')
    expect(codeOf(await reset(code))).toBe('INVALID_CODE')
    expect((await detail(support, requestId)).status).toBe('completed')
    // The old password is gone; the new one leads into enrollment on any machine.
    expect(codeOf(await h.call('auth.login', { email: noa.email, password: PASSWORD }, 'pc-9'))).toBe(
      'INVALID_CREDENTIALS',
    )
    value(await h.call('auth.login', { email: noa.email, password: NEW }, 'pc-9'))
    expect(value<SessionState>(await h.call('session.state', {}, 'pc-9')).phase).toBe('enroll-required')
    const trail = JSON.stringify(await auditRows())
    expect(trail).not.toContain(code)
    expect(trail).not.toContain(NEW)
  })

  it("an admin's password reset waits for two approvers, then the reset code is shown once to the agent", async () => {
    const ada = await addPerson('admin', 'ada.admin@example.com')
    const ben = await addPerson('admin', 'ben.admin@example.com')
    const cat = await addPerson('admin', 'cat.admin@example.com')
    const dan = await addPerson('admin', 'dan.admin@example.com')
    h.clock.advance(8 * 24 * HOUR)
    for (const agent of [support, support2, ben, cat, dan]) await signIn(agent)
    const pending = value<{ outcome: string; requestId: number }>(
      await as(ben, 'password.adminReset', { userId: ada.id }),
    )
    expect(pending.outcome).toBe('pending')
    const { requestId } = pending
    expect((await detail(cat, requestId)).purpose).toBe('password')
    // Support agents rank below an admin; one approver is not enough.
    expect(codeOf(await as(support, 'recovery.approve', { requestId }))).toBe('FORBIDDEN')
    await checkTwice(cat, requestId)
    value(await as(cat, 'recovery.approve', { requestId }))
    expect(codeOf(await as(cat, 'recovery.issueCode', { requestId }))).toBe('CONFLICT')
    value(await as(dan, 'recovery.approve', { requestId }))
    // The cooling-off period (at least 15 minutes for an admin) comes first.
    expect(codeOf(await as(cat, 'recovery.issueCode', { requestId }))).toBe('CONFLICT')
    h.clock.advance(60 * MINUTE)
    await signIn(cat)
    const issued = value<AccessCodeIssuedDto>(await as(cat, 'recovery.issueCode', { requestId }))
    expect(issued).toMatchObject({
      delivery: 'agent',
      code: expect.stringMatching(/^([A-Z2-9]{5}-){5}[A-Z2-9]$/),
    })
    expect((await detail(cat, requestId)).status).toBe('completed')
    const NEW = 'ada-new-harbour-password-44'
    value(
      await h.call('password.resetWithCode', {
        email: ada.email,
        code: (issued as { code: string }).code,
        newPassword: NEW,
        confirmPassword: NEW,
      }),
    )
    // The second factor is untouched: the new password leads to the app code.
    value(await h.call('auth.login', { email: ada.email, password: NEW }, ada.client))
    expect(value<SessionState>(await h.call('session.state', {}, ada.client)).phase).toBe('second-factor')
  })

  it('denies a request (revoking its code), and expires unanswered ones after the policy time', async () => {
    value(await h.call('policy.update', { recoveryCoolingOffMinutes: 0, recoveryRequestHours: 2 }))
    const mia = await addPerson('member', 'mia@example.com')
    const noa = await addPerson('member', 'noa@example.com')
    const first = await fileRequest(mia)
    await checkTwice(support, first.requestId)
    value(await as(support, 'recovery.approve', { requestId: first.requestId }))
    const issued = value<AccessCodeIssuedDto>(
      await as(support, 'recovery.issueCode', { requestId: first.requestId }),
    )
    const d = value<RecoveryRequestDetailDto>(
      await as(support2, 'recovery.deny', {
        requestId: first.requestId,
        reason: 'The caller could not be reached back',
      }),
    )
    expect(d).toMatchObject({ status: 'denied', deniedReason: 'The caller could not be reached back' })
    expect(d.decidedBy?.email).toBe(support2.email)
    await password(mia)
    expect(
      codeOf(await h.call('auth.verifyAccessCode', { code: (issued as { code: string }).code }, mia.client)),
    ).toBe('INVALID_CODE')
    expect(codeOf(await as(support, 'recovery.approve', { requestId: first.requestId }))).toBe('CONFLICT')

    const second = await fileRequest(noa)
    await wait(2 * HOUR)
    expect(value<{ openRecoveryRequests: number }>(await h.call('dashboard.get')).openRecoveryRequests).toBe(
      0,
    )
    const page = value<RecoveryRequestPage>(await as(support, 'recovery.list', {}))
    expect(page.liveCount).toBe(0)
    expect(
      value<RecoveryRequestPage>(await as(support, 'recovery.list', { status: 'expired' })).requests,
    ).toMatchObject([{ id: second.requestId, status: 'expired' }])
    const expired = (await auditRows()).find((e) => e.type === 'recovery.expired')!
    expect(expired).toMatchObject({ actor_id: null, subject_id: noa.id })
    // A new request may be filed once the old one is over.
    expect((await fileRequest(noa)).status).toBe('open')
  })

  it('sends the access code through the real twilio client, and tells the agent when Twilio refuses it', async () => {
    const fake = await startFakeTwilio()
    try {
      const mia = await addPerson('member', 'mia@example.com', { phone: '+34612345123' })
      value(
        await h.call('sms.configure', {
          provider: 'twilio',
          accountSid: fake.accountSid,
          authToken: fake.authToken,
          from: '+15005550006',
          apiBaseUrl: fake.baseUrl,
        }),
      )
      value(await h.call('policy.update', { recoveryCoolingOffMinutes: 0 }))
      const { requestId } = await fileRequest(mia)
      expect(fake.messages.at(-1)!.body).toMatch(/asked Tessera support to recover your account/)
      await checkTwice(support, requestId)
      value(await as(support, 'recovery.approve', { requestId }))
      expect(fake.messages.at(-1)!.body).toMatch(/approved the request/)

      fake.failNext('invalid-number')
      const refused = value<AccessCodeIssuedDto>(await as(support, 'recovery.issueCode', { requestId }))
      expect(refused).toMatchObject({
        delivery: 'sms',
        sms: {
          status: 'failed',
          lastError: 'The phone number is not valid (Twilio error 21211)',
          delivery: 'not-delivered',
        },
      })
      fake.failNext('server-error')
      const waiting = value<AccessCodeIssuedDto>(await as(support, 'recovery.issueCode', { requestId }))
      expect(waiting).toMatchObject({
        sms: { status: 'queued', lastError: 'Twilio is unavailable (HTTP 500)', delivery: 'queued' },
      })
      // Twilio is back: the worker sends it, once; the code in it logs the person in.
      h.clock.advance(5_000)
      expect(await h.backend.services().sms.deliverDue()).toMatchObject({ sent: 1 })
      const code = /code is ([A-Z0-9-]+)\./.exec(fake.messages.at(-1)!.body)![1]!
      expect(fake.messages.filter((m) => m.body.includes(code))).toHaveLength(1)
      await password(mia)
      expect(value(await h.call('auth.verifyAccessCode', { code }, mia.client))).toMatchObject({
        next: 'enroll',
      })
    } finally {
      await fake.close()
    }
  })

  it('counts wrong access codes with the second factor, up to a lock', async () => {
    value(await h.call('policy.update', { failuresBeforeDelay: 20, failuresBeforeLock: 3 }))
    const mia = await addPerson('member', 'mia@example.com')
    await password(mia)
    for (let i = 0; i < 2; i++) {
      expect(codeOf(await h.call('auth.verifyAccessCode', { code: 'B'.repeat(26) }, mia.client))).toBe(
        'INVALID_CODE',
      )
    }
    expect(codeOf(await h.call('auth.verifyAccessCode', { code: 'B'.repeat(26) }, mia.client))).toBe(
      'ACCOUNT_LOCKED',
    )
    expect((await auditRows()).filter((e) => e.type === 'login.access_code_refused')).toHaveLength(3)
  })
})
