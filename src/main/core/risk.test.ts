import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startBackend } from '../../../test/fixtures/harness'
import { sqlRun } from '../../../test/fixtures/sql'
import type { InvitationDto, SessionUser } from '../../shared/dto'
import type { Result } from '../../shared/result'
import { MAX_CONSECUTIVE_FAILURES } from '../db/queries/throttle'

type Harness = Awaited<ReturnType<typeof startBackend>>
const value = <T>(r: Result<unknown>): T => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`)
  return r.value as T
}
const DAY = 24 * 60 * 60_000

describe('users at risk, and why', () => {
  let h: Harness
  let owner: SessionUser
  beforeEach(async () => {
    h = await startBackend()
    owner = await h.setup()
  })
  afterEach(() => h.cleanup())

  const db = () => h.backend.services().db
  /** A person who has activated their account (invited → active), with the role given. */
  const person = async (name: string, role: 'admin' | 'support' | 'member') => {
    const email = `${name.toLowerCase()}@example.com`
    const id = value<InvitationDto>(
      await h.call('users.create', { email, name, role, requireTwoFactor: false }),
    ).userId
    await sqlRun(db(), "UPDATE users SET status = 'active' WHERE id = ?", id)
    return id
  }
  /** An authenticator, `codes` unused backup codes and, if asked, a verified phone. */
  const enroll = async (id: number, codes: number, phone: boolean) => {
    await sqlRun(
      db(),
      'INSERT INTO totp_credentials (user_id, secret, enrolled_at) VALUES (?, ?, ?)',
      id,
      Buffer.alloc(20),
      h.clock.now(),
    )
    for (let s = 1; s <= codes; s++)
      await sqlRun(
        db(),
        "INSERT INTO backup_codes (user_id, slot, code_hash, created_at) VALUES (?, ?, 'h', 0)",
        id,
        s,
      )
    if (phone)
      await sqlRun(
        db(),
        "INSERT INTO phones (user_id, e164, verified_at, created_at, updated_at) VALUES (?, '+34612345123', 0, 0, 0)",
        id,
      )
  }
  // Read from the service: moving the clock by days would end the console's session.
  const users = () => h.backend.services().users
  // From the list: on a team database the authenticators written above are not sealed, and the user's
  // page reads them (its summary is the list's row, see the owner's page below).
  const reasonsOf = async (id: number) =>
    (await users().list({ sort: 'name', limit: 500 })).users.find((u) => u.id === id)!.riskReasons
  const atRiskIds = async () => {
    const ids: number[] = []
    let after: string | undefined
    for (;;) {
      const page = await users().list({ filter: 'at-risk', sort: 'name', limit: 2, after })
      ids.push(...page.users.map((u) => u.id))
      if (!page.nextCursor) return ids.sort((a, b) => a - b)
      after = page.nextCursor
    }
  }
  const dashboardCount = async () => (await users().dashboard()).atRisk
  const setGrace = (days: number) => h.backend.services().policy.update({ gracePeriodDays: days }, owner.id)
  /** The list, the user pages and the dashboard say the same thing. */
  const expectAgreement = async (expected: number[]) => {
    expect(await atRiskIds()).toEqual([...expected].sort((a, b) => a - b))
    expect(await dashboardCount()).toBe(expected.length)
    const all = (await users().list({ sort: 'name', limit: 500 })).users
    expect(
      all
        .filter((u) => u.riskReasons.length > 0)
        .map((u) => u.id)
        .sort((a, b) => a - b),
    ).toEqual([...expected].sort((a, b) => a - b))
  }

  it('names each reason, worst first, and the filter and the dashboard agree', async () => {
    const ada = await person('Ada', 'admin') // admin without 2FA
    const bob = await person('Bob', 'member') // 2FA on, 1 backup code, no phone
    const cy = await person('Cy', 'member') // 2FA on, 5 codes, no phone
    const dee = await person('Dee', 'member') // 2FA on, 5 codes, phone: fine
    const eve = await person('Eve', 'support') // no 2FA, not required: fine (not privileged)
    await enroll(bob, 1, false)
    await enroll(cy, 5, false)
    await enroll(dee, 5, true)

    expect((await users().detail(owner.id)).user.riskReasons).toEqual(['privileged-without-2fa'])
    expect(await reasonsOf(owner.id)).toEqual(['privileged-without-2fa'])
    expect(await reasonsOf(ada)).toEqual(['privileged-without-2fa'])
    expect(await reasonsOf(bob)).toEqual(['few-backup-codes', 'no-verified-phone'])
    expect(await reasonsOf(cy)).toEqual(['no-verified-phone'])
    expect(await reasonsOf(dee)).toEqual([])
    expect(await reasonsOf(eve)).toEqual([])
    await expectAgreement([owner.id, ada, bob, cy])

    // Locked by failed attempts: for a while, then until an admin unlocks.
    await sqlRun(
      db(),
      "INSERT INTO login_throttle (user_id, factor, consecutive_failures, locked_until) VALUES (?, 'password', 10, ?)",
      dee,
      h.clock.now() + 15 * 60_000,
    )
    await sqlRun(
      db(),
      "INSERT INTO login_throttle (user_id, factor, consecutive_failures, locked_until) VALUES (?, 'password', ?, NULL)",
      ada,
      MAX_CONSECUTIVE_FAILURES,
    )
    expect(await reasonsOf(dee)).toEqual(['locked'])
    expect(await reasonsOf(ada)).toEqual(['privileged-without-2fa', 'locked'])
    await expectAgreement([owner.id, ada, bob, cy, dee])
    // The lock runs out: Dee is fine again, with nobody touching the database.
    h.clock.advance(16 * 60_000)
    expect(await reasonsOf(dee)).toEqual([])
    await expectAgreement([owner.id, ada, bob, cy])
  })

  it('counts a required 2FA not set up only once the grace period is over', async () => {
    await setGrace(3)
    const eve = await person('Eve', 'support')
    value(await h.call('users.setRequireTwoFactor', { userId: eve, required: true }))
    // An invitation not yet taken up is not overdue: activating the account asks for 2FA.
    const fay = value<InvitationDto>(
      await h.call('users.create', {
        email: 'fay@example.com',
        name: 'Fay',
        role: 'member',
        requireTwoFactor: true,
      }),
    ).userId

    h.clock.advance(3 * DAY - 60_000)
    expect(await reasonsOf(eve)).toEqual([])
    await expectAgreement([owner.id])

    h.clock.advance(60_000)
    expect(await reasonsOf(eve)).toEqual(['required-overdue'])
    expect(await reasonsOf(fay)).toEqual([])
    await expectAgreement([owner.id, eve])

    // A longer grace period takes Eve out again; setting up 2FA (with codes and a phone) ends it.
    await setGrace(10)
    await expectAgreement([owner.id])
    await setGrace(0)
    await expectAgreement([owner.id, eve])
    await enroll(eve, 5, true)
    expect(await reasonsOf(eve)).toEqual([])
    await expectAgreement([owner.id])
  })

  it('puts a member promoted to admin without 2FA on the list, and takes an owner off once enrolled', async () => {
    const gil = await person('Gil', 'member')
    await expectAgreement([owner.id])
    value(await h.call('users.changeRole', { userId: gil, role: 'admin' }))
    expect(await reasonsOf(gil)).toEqual(['privileged-without-2fa'])
    await expectAgreement([owner.id, gil])
    await enroll(owner.id, 5, true)
    await expectAgreement([gil])
  })
})
