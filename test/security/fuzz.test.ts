import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PasswordHasher } from '../../src/main/core/passwords'
import { insertRecoveryRequest } from '../../src/main/db/queries/recovery'
import { insertTotp } from '../../src/main/db/queries/two-factor'
import { findUserById, insertUser } from '../../src/main/db/queries/users'
import type { SessionUser } from '../../src/shared/dto'
import { methodNames, type Method } from '../../src/shared/api'
import type { Result } from '../../src/shared/result'
import { roles, type Role } from '../../src/shared/schemas'
import { gateAnswer, mayActOn, mayWork, sampleInput, stages, type Stage } from '../fixtures/contract-samples'
import { OWNER, startBackend } from '../fixtures/harness'
import { sqlValue } from '../fixtures/sql'

/**
 * Every contract method × every role × every session stage, driven with random and hostile inputs
 * (fast-check): the gate never answers INTERNAL, never lets through a call the access rules forbid —
 * whether by role, by stage, or by the person or request acted on — and afterwards the database passes
 * its integrity and foreign-key checks and the audit chain verifies.
 */
const RUNS_PER_COMBINATION = 8

/** Values an attacker would try in any field. */
const hostile = fc.oneof(
  fc.anything({ maxDepth: 2 }),
  fc.string({ maxLength: 300 }),
  fc.constantFrom(
    '__proto__',
    'constructor',
    "' OR 1=1 --",
    "'; DROP TABLE users; --",
    '\u0000',
    '../../etc/passwd',
    'x'.repeat(100_000),
    '<script>alert(1)</script>',
    '+34612345123',
    'AC' + '0'.repeat(32),
  ),
  fc.integer(),
  fc.double(),
  fc.constantFrom(-1, 0, 1, 2, 3, 4, 5, 6, 99, 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY),
  fc.constant(null),
)

/** A method's valid sample, one of its fields made hostile, an extra field, or anything at all. */
function inputFor(method: Method): fc.Arbitrary<unknown> {
  const sample = sampleInput[method] as Record<string, unknown>
  const keys = Object.keys(sample)
  return fc.oneof(
    fc.constant(sample),
    ...(keys.length
      ? [fc.tuple(fc.constantFrom(...keys), hostile).map(([k, v]) => ({ ...sample, [k]: v }))]
      : []),
    fc.tuple(fc.string({ maxLength: 20 }), hostile).map(([k, v]) => ({ ...sample, [k]: v })),
    fc.constantFrom(1, 2, 3, 4, 5, 6, 7, 8).map((userId) => ({ ...sample, userId, requestId: userId })),
    hostile,
  )
}

describe('every method × role × stage, with hostile inputs', () => {
  let h: Awaited<ReturnType<typeof startBackend>>
  const people = new Map<Role, SessionUser>()
  let n = 0

  beforeAll(async () => {
    h = await startBackend()
    people.set('owner', await h.setup())
    const { db } = h.backend.services()
    const hash = await new PasswordHasher().hash(OWNER.password)
    for (const role of roles.filter((r) => r !== 'owner')) {
      const email = `${role}@example.com`
      const id = await insertUser(db, {
        email,
        name: role,
        role,
        status: 'active',
        password_hash: hash,
        now: h.clock.now(),
      })
      people.set(role, { id, email, name: role, role })
    }
    // People to act on, of every role, some enrolled, and a request about each.
    for (const role of roles) {
      const id = await insertUser(db, {
        email: `target-${role}@example.com`,
        name: `Target ${role}`,
        role,
        status: role === 'member' ? 'invited' : 'active',
        password_hash: role === 'member' ? null : hash,
        now: h.clock.now(),
      })
      if (role !== 'member') await insertTotp(db, id, new Uint8Array(20).fill(id), h.clock.now(), 0)
      await insertRecoveryRequest(db, {
        userId: id,
        message: 'Lost my phone at the station',
        contact: 'desk 4',
        now: h.clock.now(),
        expiresAt: h.clock.now() + 30 * 24 * 3_600_000,
      })
    }
  })
  afterAll(() => h.cleanup())

  const sessionAt = (user: SessionUser, stage: Stage): string => {
    const clientId = `fuzz-${++n}`
    if (stage === 'none') return clientId
    h.backend.sessions.signIn(clientId, user, stage === 'locked' ? 'full' : stage)
    if (stage === 'locked') h.backend.sessions.lock(clientId)
    return clientId
  }

  /** The role of whoever a call acts on, read before the call (the call may change it). */
  const targetRoleOf = async (method: Method, input: unknown): Promise<Role | undefined> => {
    const { db } = h.backend.services()
    const i = input as { userId?: unknown; requestId?: unknown } | null
    if (method.startsWith('users.') && typeof i?.userId === 'number' && Number.isSafeInteger(i.userId)) {
      return (await findUserById(db, i.userId))?.role
    }
    if (
      method.startsWith('recovery.') &&
      typeof i?.requestId === 'number' &&
      Number.isSafeInteger(i.requestId)
    ) {
      const userId = await sqlValue<number | undefined>(
        db,
        'SELECT user_id FROM recovery_requests WHERE id = ?',
        i.requestId,
      )
      return userId === undefined ? undefined : (await findUserById(db, userId))?.role
    }
    return undefined
  }

  const actsOnPerson: readonly Method[] = [
    'users.resendInvitation',
    'users.setRequireTwoFactor',
    'users.resetTwoFactor',
    'users.unlock',
    'users.setDisabled',
    'users.changeRole',
    'users.delete',
  ]
  const worksRequest: readonly Method[] = [
    'recovery.check',
    'recovery.approve',
    'recovery.deny',
    'recovery.issueCode',
  ]

  for (const method of methodNames) {
    it(`${method}`, async () => {
      for (const role of roles) {
        for (const stage of stages) {
          await fc.assert(
            fc.asyncProperty(inputFor(method), async (input) => {
              const actor = people.get(role)!
              const target = await targetRoleOf(method, input)
              const r: Result<unknown> = await h.call(method, input, sessionAt(actor, stage))
              expect(typeof r.ok).toBe('boolean')
              if (!r.ok) expect(r.error.code, r.error.message).not.toBe('INTERNAL')
              if (!r.ok) return
              expect(gateAnswer(method, role, stage), `${method} as ${role} at ${stage} succeeded`).toBeNull()
              if (target && actsOnPerson.includes(method) && target !== undefined) {
                expect(mayActOn(role, target), `${method}: ${role} on a ${target}`).toBe(true)
              }
              if (target && worksRequest.includes(method)) {
                expect(mayWork(role, target), `${method}: ${role} on a ${target}'s request`).toBe(true)
              }
            }),
            { numRuns: RUNS_PER_COMBINATION, seed: 20261130 },
          )
        }
      }
    })
  }

  it('leaves a sound database and an intact audit chain behind', async () => {
    const services = h.backend.services()
    const check = await services.checkFile()
    expect(check.integrity).toEqual(['ok'])
    expect(check.foreignKeys).toEqual([])
    expect(await services.audit.verify()).toMatchObject({ ok: true })
  })
})
