import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PasswordHasher } from '../../src/main/core/passwords'
import { insertRecoveryRequest } from '../../src/main/db/queries/recovery'
import { insertTotp } from '../../src/main/db/queries/two-factor'
import { insertUser } from '../../src/main/db/queries/users'
import type { SessionUser } from '../../src/shared/dto'
import { methodNames, type Method } from '../../src/shared/api'
import type { Result } from '../../src/shared/result'
import { roles, type Role } from '../../src/shared/schemas'
import {
  expectedRoles,
  gateAnswer,
  mayActOn,
  mayWork,
  rank,
  sampleInput,
  stages,
  type Stage,
} from '../fixtures/contract-samples'
import { OWNER, startBackend } from '../fixtures/harness'

/**
 * Rule 1 as a table: every contract method × every actor role × every session stage, and every method
 * that acts on a person × actor role × that person's role. The expectations are written here by hand
 * (the product's rules), not read from src/shared/access.ts, so a change there that opens a door fails.
 */
const codeOf = (r: Result<unknown>): string => (r.ok ? 'OK' : r.error.code)

/** Methods whose answer also depends on the person or request acted on (covered by their own tables). */
const actsOnSomeone: readonly Method[] = [
  'recovery.check',
  'recovery.approve',
  'recovery.deny',
  'recovery.issueCode',
]

describe('who may call what, in which session stage', () => {
  let h: Awaited<ReturnType<typeof startBackend>>
  const people = new Map<Role, SessionUser>()
  let n = 0
  // Everyone shares the owner's password, so the samples that re-check a password pass for every role.
  const hash = new PasswordHasher().hash(OWNER.password)
  const add = async (
    role: Role,
    status: 'active' | 'invited' = 'active',
    withTotp = false,
  ): Promise<SessionUser> => {
    const { db } = h.backend.services()
    const email = `${role}-${++n}@example.com`
    const id = await insertUser(db, {
      email,
      name: `${role} ${n}`,
      role,
      status,
      password_hash: status === 'active' ? await hash : null,
      now: h.clock.now(),
    })
    if (withTotp) await insertTotp(db, id, new Uint8Array(20).fill(n), h.clock.now(), 0)
    return { id, email, name: `${role} ${n}`, role }
  }
  /** A session of `user` at `stage` on a client of its own (stages are what the login steps produce). */
  const sessionAt = (user: SessionUser, stage: Stage): string => {
    const clientId = `${user.id}-${stage}-${++n}`
    if (stage === 'none') return clientId
    const sessions = h.backend.sessions
    sessions.signIn(clientId, user, stage === 'locked' ? 'full' : stage)
    if (stage === 'locked') sessions.lock(clientId)
    return clientId
  }

  beforeAll(async () => {
    h = await startBackend()
    const owner = await h.setup()
    people.set('owner', owner)
    for (const role of roles.filter((r) => r !== 'owner')) people.set(role, await add(role))
  })
  afterAll(() => h.cleanup())

  for (const method of methodNames) {
    for (const role of roles) {
      it(`${method} as ${role}, at every stage`, async () => {
        const user = people.get(role)!
        for (const stage of stages) {
          const r = await h.call(method, sampleInput[method], sessionAt(user, stage))
          const expected = gateAnswer(method, role, stage)
          if (expected) expect(codeOf(r), stage).toBe(expected)
          // A method open to anyone may still say "sign in first" from its own logic (a second step with
          // no first); one that passed the gate never answers as the gate would.
          else if (expectedRoles[method] === 'anyone')
            expect(codeOf(r), stage).not.toMatch(/^(FORBIDDEN|INTERNAL)$/)
          // Whether the person acted on allows it is the tables below; here only the gate is judged.
          else if (actsOnSomeone.includes(method))
            expect(codeOf(r), stage).not.toMatch(/^(UNAUTHENTICATED|SESSION_LOCKED|INTERNAL)$/)
          else expect(codeOf(r), stage).not.toMatch(/^(FORBIDDEN|UNAUTHENTICATED|SESSION_LOCKED|INTERNAL)$/)
        }
      })
    }
  }

  describe('acting on a person: actor role × target role', () => {
    const personMethods = [
      ['users.setRequireTwoFactor', { required: true }],
      ['users.resetTwoFactor', {}],
      ['users.unlock', {}],
      ['users.setDisabled', { disabled: true }],
      ['users.changeRole', {}],
      ['users.delete', {}],
      ['users.resendInvitation', {}],
      ['users.get', {}],
    ] as const
    for (const [method, extra] of personMethods) {
      for (const actor of roles) {
        for (const target of roles) {
          it(`${method}: ${actor} on ${target}`, async () => {
            const by = await add(actor)
            const on = await add(target, method === 'users.resendInvitation' ? 'invited' : 'active', true)
            const input = {
              userId: on.id,
              ...extra,
              ...(method === 'users.changeRole' ? { role: target } : {}),
            }
            const r = await h.call(method, input, sessionAt(by, 'full'))
            const allowed = method === 'users.get' ? actor !== 'member' : mayActOn(actor, target)
            if (allowed) expect(codeOf(r)).not.toMatch(/^(FORBIDDEN|INTERNAL)$/)
            else expect(codeOf(r)).toBe('FORBIDDEN')
          })
        }
      }
    }

    for (const actor of roles) {
      for (const role of roles) {
        it(`users.create of a ${role} by ${actor}; users.changeRole to ${role} by ${actor}`, async () => {
          const by = sessionAt(await add(actor), 'full')
          const created = await h.call(
            'users.create',
            { email: `new-${++n}@example.com`, name: 'New', role },
            by,
          )
          const allowed =
            mayActOn(actor, 'member') && rank[actor] >= rank[role] && (role !== 'owner' || actor === 'owner')
          expect(codeOf(created)).toBe(allowed ? 'OK' : 'FORBIDDEN')
          const member = await add('member')
          const promoted = await h.call('users.changeRole', { userId: member.id, role }, by)
          expect(codeOf(promoted)).toBe(allowed ? 'OK' : 'FORBIDDEN')
        })
      }
    }
  })

  describe('working a recovery request: agent role × subject role', () => {
    const agentMethods = [
      ['recovery.check', { checks: ['photo_id'] }],
      ['recovery.approve', {}],
      ['recovery.deny', { reason: 'Could not reach them' }],
      ['recovery.issueCode', {}],
      ['recovery.get', {}],
    ] as const
    for (const [method, extra] of agentMethods) {
      for (const agent of roles) {
        for (const subject of roles) {
          it(`${method}: ${agent} on a request about a ${subject}`, async () => {
            const by = await add(agent)
            const about = await add(subject, 'active', true)
            const now = h.clock.now()
            const requestId = await insertRecoveryRequest(h.backend.services().db, {
              userId: about.id,
              message: 'Lost my phone at the station',
              contact: 'desk 4',
              now,
              expiresAt: now + 3_600_000,
            })
            const r = await h.call(method, { requestId, ...extra }, sessionAt(by, 'full'))
            const allowed = method === 'recovery.get' ? agent !== 'member' : mayWork(agent, subject)
            if (allowed) expect(codeOf(r)).not.toMatch(/^(FORBIDDEN|INTERNAL)$/)
            else expect(codeOf(r)).toBe('FORBIDDEN')
          })
        }
      }
    }
  })
})
