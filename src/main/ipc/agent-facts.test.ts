import { hostname } from 'node:os'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startBackend } from '../../../test/fixtures/harness'
import { connectPhones, type Phones } from '../../../test/fixtures/phones'
import { sqlValue } from '../../../test/fixtures/sql'
import type {
  EnrollmentStartDto,
  InvitationDto,
  RecoveryFiledDto,
  RecoveryRequestDetailDto,
  RecoveryRequestPage,
} from '../../shared/dto'
import type { Result } from '../../shared/result'
import type { Role } from '../../shared/schemas'
import type { Notifier } from '../adapters/notifier'
import { fromBase32, totpAt } from '../core/totp'

const value = <T>(r: Result<unknown>): T => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`)
  return r.value as T
}

const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE
const PASSWORD = 'a long and private passphrase 7'
const ASK = { message: 'My phone was stolen on the train this morning.', contact: 'Desk 4B, extension 2210' }
const PHONE = '+34612345123'

interface Person {
  id: number
  email: string
  client: string
  secret: Uint8Array
  backupCodes: string[]
}

/** A notifier that keeps what the console would have shown. */
const recordingNotifier = () => {
  const shown: { title: string; body: string }[] = []
  const notifier: Notifier = { notify: (n) => shown.push(n) }
  return { notifier, shown }
}

describe('the facts beside a recovery request, and the alerts agents get', () => {
  let h: Awaited<ReturnType<typeof startBackend>>
  let phones: Phones
  let notes: ReturnType<typeof recordingNotifier>
  const appCode = (p: Person) =>
    totpAt({ secret: p.secret, algorithm: 'sha1', digits: 6, period: 30 }, h.clock.now())

  const addPerson = async (
    role: Role,
    email: string,
    opts: { phone?: boolean; wrongCodeFirst?: boolean } = {},
  ): Promise<Person> => {
    const inv = value<InvitationDto>(await h.call('users.create', { email, name: email.split('@')[0], role }))
    const client = `pc-${email}`
    value(await h.call('auth.activate', { email, code: inv.code, password: PASSWORD }, client))
    const start = value<EnrollmentStartDto>(
      await h.call('twoFactor.startEnrollment', { password: PASSWORD }, client),
    )
    const secret = fromBase32(start.manualKey)
    const p: Person = { id: inv.userId, email, client, secret, backupCodes: [] }
    if (opts.wrongCodeFirst) {
      await h.call(
        'twoFactor.confirmEnrollment',
        { code: String((Number(await appCode(p)) + 1) % 1e6).padStart(6, '0') },
        client,
      )
    }
    p.backupCodes = value<{ backupCodes: string[] }>(
      await h.call('twoFactor.confirmEnrollment', { code: await appCode(p) }, client),
    ).backupCodes
    if (opts.phone) {
      value(
        await h.call(
          'phone.start',
          { number: PHONE, numberConfirm: PHONE, notAuthenticatorPhone: true, password: PASSWORD },
          client,
        ),
      )
      value(await h.call('phone.verify', { code: phones.lastCode() }, client))
    }
    value(await h.call('auth.logout', {}, client))
    h.clock.advance(30_000)
    return p
  }
  const signIn = async (p: Person, factor?: { backupCode: string }) => {
    value(await h.call('auth.login', { email: p.email, password: PASSWORD }, p.client))
    value(await h.call('auth.verifySecondFactor', factor ?? { code: await appCode(p) }, p.client))
    h.clock.advance(30_000)
  }
  const fileRequest = async (p: Person) => {
    value(await h.call('auth.login', { email: p.email, password: PASSWORD }, p.client))
    return value<RecoveryFiledDto>(await h.call('auth.requestRecovery', ASK, p.client))
  }
  /** Wrong passwords, a minute apart (past the limiter's delays), until the account locks. */
  const lockOut = async (p: Person, failures: number) => {
    for (let i = 0; i < failures; i++) {
      await h.call('auth.login', { email: p.email, password: 'not the password at all' }, 'shared-pc')
      h.clock.advance(61_000)
    }
  }
  const detail = async (agent: Person, requestId: number) =>
    value<RecoveryRequestDetailDto>(await h.call('recovery.get', { requestId }, agent.client))

  let support: Person
  beforeEach(async () => {
    notes = recordingNotifier()
    h = await startBackend({ notifier: notes.notifier })
    await h.setup()
    phones = await connectPhones(h.backend)
    value(await h.call('policy.update', { idleLockMinutes: 60 }))
    support = await addPerson('support', 'sam.support@example.com')
  })
  afterEach(async () => {
    await h.cleanup()
    await phones.close()
  })

  it('shows the last sign-in, failures and lockouts of 30 days, backup codes left, the phone date and other requests', async () => {
    const mia = await addPerson('member', 'mia@example.com', { phone: true })
    const phoneVerifiedAt = h.clock.now() - 30_000
    // An old failure, outside the 30 days.
    await h.call('auth.login', { email: mia.email, password: 'wrong password, long ago' }, mia.client)
    h.clock.advance(40 * DAY)
    await signIn(mia, { backupCode: mia.backupCodes[0]! })
    value(await h.call('auth.logout', {}, mia.client))
    const signedInAt = h.clock.now() - 30_000
    h.clock.advance(DAY)
    await lockOut(mia, 10)
    const lockedAt = h.clock.now() - 61_000
    h.clock.advance(20 * MINUTE)
    const first = await fileRequest(mia)
    await signIn(support)

    const d = await detail(support, first.requestId)
    expect(d.facts).toEqual({
      lastSignIn: { at: signedInAt, via: 'desktop', machine: hostname() },
      failures: { count: 10, latestAt: lockedAt },
      lockouts: { count: 1, latestAt: lockedAt },
      // The timed lock (15 minutes) is over.
      lockedNow: null,
      backupCodes: { left: 4, total: 5 },
      phoneVerifiedAt,
      otherRequests: { count: 0, latest: [] },
    })
    // Nothing secret: no number, no code.
    const text = JSON.stringify(d.facts)
    expect(text).not.toContain('612345123')
    for (const code of mia.backupCodes) expect(text).not.toContain(code)

    // Denied, then asked again: the new request lists the first one.
    value(
      await h.call(
        'recovery.deny',
        { requestId: first.requestId, reason: 'Could not reach her' },
        support.client,
      ),
    )
    const second = await fileRequest(mia)
    const again = await detail(support, second.requestId)
    expect(again.facts?.otherRequests).toEqual({
      count: 1,
      latest: [{ id: first.requestId, status: 'denied', createdAt: expect.any(Number) }],
    })
  })

  it('counts a lock in force, says when there is no verified phone, and leaves out a wrong code while enrolling', async () => {
    const max = await addPerson('member', 'max@example.com', { wrongCodeFirst: true })
    const refusals = await sqlValue(
      h.backend.services().db,
      "SELECT count(*) FROM audit_events WHERE type = '2fa.code_refused' AND subject_id = ?",
      max.id,
    )
    expect(Number(refusals)).toBe(1)
    await signIn(max)
    await lockOut(max, 10)
    // Locked, so no password step: "lost both" from the sign-in screen, with the email alone.
    value(await h.call('password.askSupport', { email: max.email, ...ASK }, 'shared-pc'))
    await signIn(support)
    const queue = value<RecoveryRequestPage>(await h.call('recovery.list', {}, support.client))
    const d = await detail(support, queue.requests[0]!.id)
    expect(d.facts).toMatchObject({
      failures: { count: 10 },
      lockouts: { count: 1 },
      lockedNow: { until: expect.any(Number) },
      phoneVerifiedAt: null,
      backupCodes: { left: 5, total: 5 },
    })
  })

  it('gives no facts to an agent who may not work the request (an admin asks, a support agent looks)', async () => {
    const ada = await addPerson('admin', 'ada.admin@example.com', { phone: true })
    const { requestId } = await fileRequest(ada)
    await signIn(support)
    const d = await detail(support, requestId)
    expect(d.actions.check).toBe(false)
    expect(d.facts).toBeNull()
    // The owner, who may work it, sees them.
    expect(value<RecoveryRequestDetailDto>(await h.call('recovery.get', { requestId })).facts).not.toBeNull()
  })

  it("notifies agents' consoles of a new request and of a lockout, and never a member's", async () => {
    const mia = await addPerson('member', 'mia@example.com')
    const leo = await addPerson('member', 'leo@example.com')
    const max = await addPerson('member', 'max@example.com')
    const noa = await addPerson('member', 'noa@example.com')
    // Only a member is signed in on this console (the owner's window signs out).
    value(await h.call('auth.logout'))
    await signIn(leo)
    await h.backend.checkAlerts()
    notes.shown.length = 0
    await fileRequest(mia)
    await lockOut(mia, 10)
    await h.backend.checkAlerts()
    expect(notes.shown).toEqual([])

    // A support agent signs in here: the next request and lockout are theirs to hear about.
    await signIn(support)
    await h.backend.checkAlerts()
    expect(notes.shown).toEqual([])
    const filed = await fileRequest(max)
    await h.backend.checkAlerts()
    expect(notes.shown).toEqual([
      {
        title: 'New recovery request',
        body: `max (max@example.com) asked support for help signing in (request #${filed.requestId}). It waits in the Recovery queue.`,
      },
    ])
    notes.shown.length = 0
    await lockOut(leo, 10)
    await h.backend.checkAlerts()
    expect(notes.shown).toEqual([
      {
        title: 'Account locked',
        body: expect.stringMatching(
          /^leo \(leo@example\.com\) is locked out after too many failed attempts until \w+ \d+, 2026 at \d\d:\d\d UTC\. They may call support\.$/,
        ),
      },
    ])
    // Seen once: the next look has nothing new.
    await h.backend.checkAlerts()
    expect(notes.shown).toHaveLength(1)

    // An agent who reads Tessera in Spanish is told in Spanish.
    value(await h.call('preferences.set', { language: 'es' }, support.client))
    notes.shown.length = 0
    const again = await fileRequest(noa)
    await h.backend.checkAlerts()
    expect(notes.shown).toEqual([
      {
        title: 'Nueva solicitud de recuperación',
        body: `noa (noa@example.com) pidió ayuda a soporte para iniciar sesión (solicitud n.º ${again.requestId}). Espera en la cola de Recuperación.`,
      },
    ])
  })

  it("does not tell a support agent about an admin's request, nor an agent about their own", async () => {
    await signIn(support)
    const ada = await addPerson('admin', 'ada.admin@example.com')
    await h.backend.checkAlerts()
    notes.shown.length = 0
    await fileRequest(ada)
    await h.backend.checkAlerts()
    // The owner's window (window-1) hears of it; the support agent does not.
    expect(notes.shown).toHaveLength(1)
    value(await h.call('auth.logout'))
    notes.shown.length = 0
    await fileRequest(support)
    await signIn(support)
    await h.backend.checkAlerts()
    expect(notes.shown).toEqual([])
  })
})
