import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { OWNER, startBackend } from '../../../test/fixtures/harness'
import { codeOf, value } from '../../../test/fixtures/results'
import type { Result } from '../../shared/result'

type Harness = Awaited<ReturnType<typeof startBackend>>
const errorOf = (r: Result<unknown>) => {
  if (r.ok) throw new Error('expected an error')
  return r.error
}

/** Each console tells main the language it shows; main answers that console's errors in it. */
describe('server messages in the console’s language', () => {
  let h: Harness

  beforeEach(async () => {
    h = await startBackend()
    await h.setup()
  })
  afterEach(() => h.cleanup())

  it('answers a Spanish console in Spanish, before sign-in too, and an English one in English', async () => {
    expect(value(await h.call('console.setLanguage', { language: 'es' }, 'spanish-pc'))).toEqual({
      language: 'es',
    })
    const wrong = { email: OWNER.email, password: 'not the password at all' }
    expect(errorOf(await h.call('auth.login', wrong, 'spanish-pc'))).toMatchObject({
      code: 'INVALID_CREDENTIALS',
      message: 'El correo o la contraseña no son correctos.',
    })
    expect(errorOf(await h.call('auth.login', wrong, 'english-pc'))).toMatchObject({
      code: 'INVALID_CREDENTIALS',
      message: 'The email or password is not correct.',
    })
    // A field's message, from the contract's schema, and zod's own for a field left out.
    const invalid = { email: 'not an address', password: 'whatever it is' }
    expect(errorOf(await h.call('auth.login', invalid, 'spanish-pc'))).toEqual({
      code: 'VALIDATION',
      message: 'Introduce una dirección de correo válida',
      fields: { email: 'Introduce una dirección de correo válida' },
    })
    expect(errorOf(await h.call('auth.login', invalid, 'english-pc'))).toEqual({
      code: 'VALIDATION',
      message: 'Enter a valid email address',
      fields: { email: 'Enter a valid email address' },
    })
    const missing = errorOf(await h.call('auth.login', { email: OWNER.email }, 'spanish-pc'))
    expect(missing.fields?.password).toMatch(/^Entrada inválida/)
    expect(
      errorOf(await h.call('auth.login', { email: OWNER.email }, 'english-pc')).fields?.password,
    ).toMatch(/^Invalid input/)
    // The gate's own refusal.
    expect(errorOf(await h.call('users.list', {}, 'spanish-pc')).message).toBe('Inicia sesión primero.')
  })

  it('fills a message’s values into the Spanish sentence, and goes back to English when told', async () => {
    value(await h.call('console.setLanguage', { language: 'es' }))
    const again = { email: OWNER.email, name: 'Olivia Again', role: 'member' }
    expect(errorOf(await h.call('users.create', again))).toMatchObject({
      code: 'CONFLICT',
      message: 'Ya existe un usuario con el correo owner@example.com.',
    })
    value(await h.call('console.setLanguage', { language: 'en' }))
    expect(errorOf(await h.call('users.create', again)).message).toBe(
      'A user with the email owner@example.com already exists.',
    )
  })

  it('takes only the console’s languages, and each window’s own', async () => {
    expect(codeOf(await h.call('console.setLanguage', { language: 'fr' }))).toBe('VALIDATION')
    expect(codeOf(await h.call('console.setLanguage', { language: 'es', extra: true }))).toBe('VALIDATION')
    value(await h.call('console.setLanguage', { language: 'es' }, 'window-2'))
    // Another window of the same person is not affected.
    expect(errorOf(await h.call('auth.unlock', { password: 'wrong' })).message).toBe(
      'The console is not locked.',
    )
    expect(errorOf(await h.call('auth.unlock', { password: 'wrong' }, 'window-2')).message).toBe(
      'Inicia sesión primero.',
    )
  })
})
