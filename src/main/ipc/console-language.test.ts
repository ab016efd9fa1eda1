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

  it('words what a result carries in the console’s language: bulk skip reasons, an import’s line messages', async () => {
    value(await h.call('console.setLanguage', { language: 'es' }))
    const mia = value(
      await h.call('users.create', {
        email: 'mia@example.com',
        name: 'Mia Lind',
        role: 'member',
        requireTwoFactor: true,
      }),
    ) as { userId: number }
    const preview = { target: { kind: 'ids', ids: [mia.userId] }, action: 'require-2fa' }
    expect(value(await h.call('users.bulkPreview', preview))).toMatchObject({
      willAct: 0,
      skipped: [{ reason: 'Ya se le exige la verificación en dos pasos', count: 1 }],
    })
    const csv =
      'email,name,role\r\nnoa@example.com,Noa,member\r\nnoa@example.com,Noa Again,member\r\nbad,line\r\n'
    expect(value(await h.call('users.importBegin', { csv }))).toMatchObject({
      importId: null,
      errors: [
        { line: 3, column: 'email', message: 'noa@example.com ya está en la línea 2 de este archivo' },
        { line: 4, message: 'Se esperaban 3 columnas y hay 2' },
      ],
    })
    value(await h.call('console.setLanguage', { language: 'en' }))
    expect(value(await h.call('users.bulkPreview', preview))).toMatchObject({
      skipped: [{ reason: '2FA is already required', count: 1 }],
    })
    expect(value(await h.call('users.importBegin', { csv }))).toMatchObject({
      errors: [
        { message: 'noa@example.com is already on line 2 of this file' },
        { message: 'Expected 3 columns, found 2' },
      ],
    })
  })

  it('writes a moment inside a message as the console’s language does', async () => {
    value(await h.call('policy.update', { failuresBeforeDelay: 5, failuresBeforeLock: 2 }))
    value(await h.call('console.setLanguage', { language: 'es' }, 'spanish-pc'))
    const wrong = { email: OWNER.email, password: 'not the password at all' }
    for (let i = 0; i < 2; i++) await h.call('auth.login', wrong, 'spanish-pc')
    const locked = errorOf(await h.call('auth.login', wrong, 'spanish-pc'))
    expect(locked.code).toBe('ACCOUNT_LOCKED')
    expect(locked.message).toMatch(
      /^Esta cuenta está bloqueada .* hasta el 28 de noviembre de 2026 .*09:15 UTC\.$/,
    )
    expect(errorOf(await h.call('auth.login', wrong, 'english-pc')).message).toBe(
      'This account is locked after too many failed attempts until 2026-11-28 09:15 UTC.',
    )
  })
})
