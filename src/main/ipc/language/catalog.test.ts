import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { es } from './es'
import { scanServerTexts } from './scan'
import { translateError, translateMessage } from './translate'

const root = join(import.meta.dirname, '..', '..', '..', '..')

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sources(path)
    return /\.ts$/.test(name) && !/\.test\.ts$|\.d\.ts$/.test(name) ? [path] : []
  })
}

describe('the Spanish catalog of server messages', () => {
  it('has every text main can send to a console as an error', () => {
    const scanned = [...sources(join(root, 'src', 'main')), ...sources(join(root, 'src', 'shared'))].map(
      (path) => ({ path: relative(root, path), ...scanServerTexts(readFileSync(path, 'utf8'), path) }),
    )
    // The scan itself finds what it should: the gate's, a template's, the contract's, an access rule's.
    const all = new Set(scanned.flatMap((f) => f.texts.map((t) => t.text)))
    for (const known of [
      'Sign in first.',
      'A user with the email {0} already exists.',
      'Enter a valid email address',
      'You cannot give a role above your own.',
      'The disk that holds the database is full: nothing of this action was saved. Free some space, then try again.',
    ])
      expect(all).toContain(known)
    const missing = scanned.flatMap((f) =>
      f.texts.filter((t) => !Object.hasOwn(es, t.text)).map((t) => `${f.path}:${t.line}  ${t.text}`),
    )
    expect(missing).toEqual([])
  })

  it('uses in a translation only the placeholders its English text has', () => {
    const placeholders = (s: string) => [...s.matchAll(/\{\d+\}/g)].map((m) => m[0])
    const wrong = Object.entries(es).filter(([from, to]) =>
      placeholders(to).some((p) => !placeholders(from).includes(p)),
    )
    expect(wrong).toEqual([])
  })

  it('translates a message with values, keeping the values and translating the words it fills in', () => {
    expect(translateMessage('A user with the email mia@example.com already exists.', 'es')).toBe(
      'Ya existe un usuario con el correo mia@example.com.',
    )
    expect(translateMessage('A user with the email mia@example.com already exists.', 'en')).toBe(
      'A user with the email mia@example.com already exists.',
    )
    expect(
      translateMessage(
        "Only someone of an administrator's rank or above can reset the 2FA of an administrator.",
        'es',
      ),
    ).toBe(
      'Solo alguien con rango de administrador o superior puede restablecer la verificación en dos pasos de un administrador.',
    )
    expect(translateMessage('Request #4 is denied: you cannot approve it.', 'es')).toBe(
      'La solicitud n.º 4 está denegada: no puedes aprobarla.',
    )
    // A message nobody wrote down stays as it is, rather than half translated.
    expect(translateMessage('Something nobody wrote down.', 'es')).toBe('Something nobody wrote down.')
  })

  it('translates an error’s message and its fields, and nothing else of it', () => {
    expect(
      translateError(
        {
          code: 'WEAK_PASSWORD',
          message: 'Use at least 15 characters',
          fields: { newPassword: 'Use at least 15 characters' },
          retryAfterSeconds: 3,
        },
        'es',
      ),
    ).toEqual({
      code: 'WEAK_PASSWORD',
      message: 'Usa al menos 15 caracteres',
      fields: { newPassword: 'Usa al menos 15 caracteres' },
      retryAfterSeconds: 3,
    })
  })
})
