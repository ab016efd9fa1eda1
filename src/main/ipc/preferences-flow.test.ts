import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { OWNER, startBackend } from '../../../test/fixtures/harness'
import { sqlAll } from '../../../test/fixtures/sql'
import type { SessionUser } from '../../shared/dto'
import type { Result } from '../../shared/result'

type Harness = Awaited<ReturnType<typeof startBackend>>
const codeOf = (r: Result<unknown>) => (r.ok ? 'OK' : r.error.code)
const value = <T>(r: Result<unknown>): T => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`)
  return r.value as T
}

const MIA = { email: 'mia@example.com', name: 'Mia Lind', password: 'orchid-lantern-harbour-9' }

describe("a person's language and theme, through the gate", () => {
  let h: Harness
  let owner: SessionUser
  beforeEach(async () => {
    h = await startBackend()
    owner = await h.setup()
  })
  afterEach(() => h.cleanup())

  const stored = () =>
    sqlAll<{ email: string; language: string | null; theme: string }>(
      h.backend.services().db,
      'SELECT email, language, theme FROM users ORDER BY id',
    )

  it('follows the OS until chosen, then keeps the choice in the database, for that person only', async () => {
    expect(value(await h.call('preferences.get'))).toEqual({ language: null, theme: 'system' })
    await h.backend.services().users.create({ email: MIA.email, name: MIA.name, role: 'member' }, owner, {
      via: 'desktop',
      machine: 'test',
    })

    expect(value(await h.call('preferences.set', { language: 'es', theme: 'dark' }))).toEqual({
      language: 'es',
      theme: 'dark',
    })
    // One field at a time leaves the other; null goes back to following the OS.
    expect(value(await h.call('preferences.set', { theme: 'light' }))).toEqual({
      language: 'es',
      theme: 'light',
    })
    expect(await stored()).toEqual([
      { email: OWNER.email, language: 'es', theme: 'light' },
      { email: MIA.email, language: null, theme: 'system' },
    ])
    expect(value(await h.call('preferences.set', { language: null }))).toEqual({
      language: null,
      theme: 'light',
    })

    expect((await stored())[0]).toEqual({ email: OWNER.email, language: null, theme: 'light' })
  })

  it('refuses what the console does not have, and an empty change, with a clear message', async () => {
    for (const input of [{ language: 'fr' }, { theme: 'sepia' }, {}, { theme: 'dark', userId: 2 }]) {
      const r = await h.call('preferences.set', input)
      expect(codeOf(r), JSON.stringify(input)).toBe('VALIDATION')
    }
    expect(value(await h.call('preferences.get'))).toEqual({ language: null, theme: 'system' })
  })

  it('is not open to a signed-out console', async () => {
    await h.call('auth.logout')
    expect(codeOf(await h.call('preferences.set', { theme: 'dark' }))).not.toBe('OK')
    expect(codeOf(await h.call('preferences.get'))).not.toBe('OK')
    expect(await stored()).toEqual([{ email: OWNER.email, language: null, theme: 'system' }])
  })
})
