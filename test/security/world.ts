import { expect } from 'vitest'
import { fromBase32, totpAt } from '../../src/main/core/totp'
import type { Store } from '../../src/main/db/store'
import type {
  EnrollmentStartDto,
  InvitationDto,
  RecoveryFiledDto,
  SessionState,
  UserDetailDto,
} from '../../src/shared/dto'
import type { Result } from '../../src/shared/result'
import type { Role } from '../../src/shared/schemas'
import { connectPhones } from '../fixtures/phones'
import { OWNER, startBackend } from '../fixtures/harness'
import { sqlAll } from '../fixtures/sql'
import { value } from '../fixtures/results'

export type Harness = Awaited<ReturnType<typeof startBackend>>

export const DAY = 24 * 60 * 60_000
export const PASSWORD = 'a long and private passphrase 7'

/** Someone with an account: their window (client id) and, once enrolled, their authenticator's secret. */
export interface Person {
  id: number
  email: string
  role: Role
  client: string
  password: string
  secret?: Uint8Array
}

/**
 * A real backend behind the real gate, with the owner set up and signed in on 'window-1', and helpers
 * to add people of every role the way an account really gets them: invited by someone, activated with
 * the code, enrolled in 2FA with a real TOTP secret.
 */
export async function startWorld() {
  const h = await startBackend()
  const ownerUser = await h.setup()
  const owner: Person = {
    id: ownerUser.id,
    email: OWNER.email,
    role: 'owner',
    client: 'window-1',
    password: OWNER.password,
  }
  const db = (): Store => h.backend.services().db
  const phones = await connectPhones(h.backend)
  const twilio = phones.fake
  const as = (p: Person, method: string, input: object = {}): Promise<Result<unknown>> =>
    h.call(method, input, p.client)
  const appCode = (p: Person): Promise<string> =>
    totpAt({ secret: p.secret!, algorithm: 'sha1', digits: 6, period: 30 }, h.clock.now())
  const lastSmsBody = (): string => phones.lastBody()
  const lastSmsCode = (): string => phones.lastCode()

  /** Enrolls `p` (signed in on their client) in 2FA with a fresh secret. */
  const enroll = async (p: Person) => {
    const start = value<EnrollmentStartDto>(
      await as(p, 'twoFactor.startEnrollment', { password: p.password }),
    )
    p.secret = fromBase32(start.manualKey)
    value(await as(p, 'twoFactor.confirmEnrollment', { code: await appCode(p) }))
    h.clock.advance(30_000)
  }

  /** Email and password, then the app code when the person has 2FA: a complete login. */
  const signIn = async (p: Person) => {
    value(await as(p, 'auth.login', { email: p.email, password: p.password }))
    const state = value<SessionState>(await as(p, 'session.state'))
    if (state.phase === 'second-factor') {
      value(await as(p, 'auth.verifySecondFactor', { code: await appCode(p) }))
      h.clock.advance(30_000)
    }
  }

  /**
   * `by` invites a person with `role`; they activate with the code and enroll in 2FA (unless `enroll` is
   * false), and may register a verified emergency phone. They end signed out.
   */
  const addPerson = async (
    by: Person,
    role: Role,
    email: string,
    opts: { enroll?: boolean; phone?: string; requireTwoFactor?: boolean } = {},
  ): Promise<Person> => {
    const inv = value<InvitationDto>(
      await as(by, 'users.create', {
        email,
        name: email.split('@')[0],
        role,
        ...(opts.requireTwoFactor !== undefined ? { requireTwoFactor: opts.requireTwoFactor } : {}),
      }),
    )
    const p: Person = { id: inv.userId, email, role, client: `pc-${email}`, password: PASSWORD }
    value(await h.call('auth.activate', { email, code: inv.code, password: PASSWORD }, p.client))
    if (opts.enroll !== false) await enroll(p)
    if (opts.phone) {
      const n = opts.phone
      value(
        await as(p, 'phone.start', {
          number: n,
          numberConfirm: n,
          notAuthenticatorPhone: true,
          password: p.password,
        }),
      )
      value(await as(p, 'phone.verify', { code: lastSmsCode() }))
    }
    value(await as(p, 'auth.logout'))
    return p
  }

  /** An admin the owner invited, enrolled and signed in on their own console: the usual attacker. */
  const signedInAdmin = async (): Promise<Person> => {
    const admin = await addPerson(owner, 'admin', 'adam.admin@example.com')
    await signIn(admin)
    return admin
  }

  /** Moves the clock on, keeping every signed-in console awake (a console locks when idle). */
  const age = async (days: number, awake: Person[] = []) => {
    h.clock.advance(days * DAY)
    for (const p of awake) await signIn(p)
  }

  /**
   * `p` (password given, waiting at the second step) asks support for help; the owner checks, approves
   * (no cooling-off) and issues a temporary access code, which goes by SMS to their verified phone.
   */
  const recoverThroughSupport = async (p: Person): Promise<string> => {
    value(await as(p, 'auth.login', { email: p.email, password: p.password }))
    const { requestId } = value<RecoveryFiledDto>(
      await as(p, 'auth.requestRecovery', { message: 'My phone fell in the sea.', contact: 'desk 4' }),
    )
    value(await as(owner, 'policy.update', { recoveryCoolingOffMinutes: 0 }))
    value(await as(owner, 'recovery.check', { requestId, checks: ['callback_known_number', 'photo_id'] }))
    value(await as(owner, 'recovery.approve', { requestId }))
    value(await as(owner, 'recovery.issueCode', { requestId }))
    return phones.lastAccessCode()
  }

  const detail = async (p: Person, userId: number) =>
    value<UserDetailDto>(await as(p, 'users.get', { userId }))
  const phaseOf = async (p: Person) => value<SessionState>(await as(p, 'session.state')).phase

  const auditRows = async (type?: string) =>
    (
      await sqlAll<{
        type: string
        actor_id: number | null
        subject_id: number | null
        data: string
      }>(
        db(),
        `SELECT type, actor_id, subject_id, data FROM audit_events ${type ? 'WHERE type = ?' : ''} ORDER BY seq`,
        ...(type ? [type] : []),
      )
    ).map((r) => ({ ...r, data: JSON.parse(r.data) as Record<string, unknown> }))

  /** The database's own checks after an attack: integrity, foreign keys and the audit chain. */
  const assertIntact = async () => {
    const check = await h.backend.services().checkFile()
    expect(check.integrity).toEqual(['ok'])
    expect(check.foreignKeys).toEqual([])
    expect(await h.backend.services().audit.verify()).toMatchObject({ ok: true })
  }

  return {
    h,
    twilio,
    owner,
    db,
    as,
    appCode,
    enroll,
    signIn,
    addPerson,
    signedInAdmin,
    age,
    detail,
    recoverThroughSupport,
    phaseOf,
    auditRows,
    lastSmsBody,
    lastSmsCode,
    assertIntact,
    cleanup: async () => {
      await h.cleanup()
      await phones.close()
    },
  }
}

export type World = Awaited<ReturnType<typeof startWorld>>
