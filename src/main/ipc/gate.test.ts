import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectedRoles, sampleInput, TARGET } from '../../../test/fixtures/contract-samples'
import { OWNER, startBackend } from '../../../test/fixtures/harness'
import { methodNames } from '../../shared/api'
import { roles, type Role } from '../../shared/schemas'
import { PasswordHasher } from '../core/passwords'
import { insertUser } from '../db/queries/users'

// Everyone shares the owner's password here, so samples that re-check a password pass for every role.
const PASSWORD = OWNER.password

describe('every contract method as every role', () => {
  let h: Awaited<ReturnType<typeof startBackend>>
  beforeAll(async () => {
    h = await startBackend()
    await h.setup()
    const { db } = h.backend.services()
    const hash = await new PasswordHasher().hash(PASSWORD)
    for (const role of roles.filter((r) => r !== 'owner')) {
      await insertUser(db, {
        email: `${role}@example.com`,
        name: role,
        role,
        status: 'active',
        password_hash: hash,
        now: h.clock.now(),
      })
    }
    const target = await insertUser(db, {
      email: 'target@example.com',
      name: 'Target',
      role: 'member',
      status: 'invited',
      password_hash: null,
      now: h.clock.now(),
    })
    expect(target).toBe(TARGET)
  })
  afterAll(() => h.cleanup())

  const signIn = async (role: Role, clientId: string) => {
    const r = await h.call(
      'auth.login',
      role === 'owner' ? OWNER : { email: `${role}@example.com`, password: PASSWORD },
      clientId,
    )
    expect(r.ok).toBe(true)
  }

  for (const method of methodNames) {
    const access = expectedRoles[method]
    for (const role of roles) {
      const allowed = access === 'anyone' || access.includes(role)
      it(`${method} as ${role} is ${allowed ? 'allowed' : 'refused'}`, async () => {
        const clientId = `${method}-${role}`
        await signIn(role, clientId)
        const r = await h.call(method, sampleInput[method], clientId)
        if (allowed) {
          expect(r.ok ? 'ok' : r.error.code).not.toMatch(/^(FORBIDDEN|UNAUTHENTICATED|SESSION_LOCKED)$/)
        } else {
          expect(r).toEqual({
            ok: false,
            error: { code: 'FORBIDDEN', message: 'Your role does not allow this.' },
          })
        }
      })
    }
    if (access !== 'anyone') {
      it(`${method} without a session is refused`, async () => {
        const r = await h.call(method, sampleInput[method], `anonymous-${method}`)
        expect(r.ok ? 'ok' : r.error.code).toBe('UNAUTHENTICATED')
      })
      it(`${method} on a locked console is refused`, async () => {
        const clientId = `locked-${method}`
        await signIn('owner', clientId)
        expect((await h.call('auth.lock', { reason: 'manual' }, clientId)).ok).toBe(true)
        const r = await h.call(method, sampleInput[method], clientId)
        expect(r.ok ? 'ok' : r.error.code).toBe('SESSION_LOCKED')
      })
    }
  }
})

describe('the gate', () => {
  let h: Awaited<ReturnType<typeof startBackend>>
  beforeAll(async () => {
    h = await startBackend()
    await h.setup()
  })
  afterAll(() => h.cleanup())

  it('refuses a method that is not in the contract', async () => {
    expect(await h.call('users.dropEverything', {})).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    })
    expect(await h.call('__proto__', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  })

  it('validates input with the shared schema before anything runs', async () => {
    const r = await h.call('auth.login', { email: 'not-an-email', password: '' }, 'validation')
    expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    if (!r.ok)
      expect(Object.keys(r.error.fields ?? {})).toEqual(expect.arrayContaining(['email', 'password']))
    const extra = await h.call('session.state', { sneaky: true })
    expect(extra).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
  })

  it('turns unexpected errors into INTERNAL without details', async () => {
    const logged: unknown[] = []
    const { createGate } = await import('./gate')
    const { createHandlers, sessionLookup } = await import('./handlers')
    const handlers = createHandlers(h.backend)
    const broken = createGate({
      handlers: {
        ...handlers,
        'session.state': async () => {
          throw new Error('SQLITE_ERROR near "SELECT": secret-looking detail')
        },
      },
      sessions: sessionLookup(h.backend),
      logError: (_m, e) => logged.push(e),
    })
    const r = await broken('c', 'session.state', {})
    expect(r).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'Something went wrong. The details are in the application log.' },
    })
    expect(JSON.stringify(r)).not.toContain('SQLITE')
    expect(logged).toHaveLength(1)
  })
})
