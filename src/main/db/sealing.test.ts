import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { PLAIN, SealError, teamSealer } from './sealing'

describe('sealing under the team key', () => {
  const key = randomBytes(32)
  const seal = teamSealer(key)

  it('opens what it sealed, and never stores the value or the same bytes twice', () => {
    const a = seal.text('+34612345123', 'phone:7')
    const b = seal.text('+34612345123', 'phone:7')
    expect(a).not.toContain('612345123')
    expect(a).not.toBe(b)
    expect(seal.openText(a, 'phone:7')).toBe('+34612345123')
    const secret = randomBytes(20)
    const sealed = seal.bytes(secret, 'totp:7')
    expect(sealed.includes(secret)).toBe(false)
    expect(seal.openBytes(sealed, 'totp:7').equals(secret)).toBe(true)
  })

  it('refuses a value moved to another row, changed, or sealed under another key', () => {
    const sealed = seal.text('+34612345123', 'phone:7')
    expect(() => seal.openText(sealed, 'phone:8')).toThrow(SealError)
    const raw = Buffer.from(sealed.slice(3), 'base64')
    raw[raw.length - 1] = raw[raw.length - 1]! ^ 1
    expect(() => seal.openText(`s1:${raw.toString('base64')}`, 'phone:7')).toThrow(SealError)
    expect(() => teamSealer(randomBytes(32)).openText(sealed, 'phone:7')).toThrow(SealError)
    // A plain value where a sealed one belongs is not taken as it is.
    expect(() => seal.openText('+34612345123', 'phone:7')).toThrow(/should be sealed/)
  })

  it('finds rows by a keyed hash: the same for the same number under one key, different under another', () => {
    expect(seal.lookupKey('+34612345123')).toBe(seal.lookupKey('+34612345123'))
    expect(seal.lookupKey('+34612345123')).not.toBe(seal.lookupKey('+34612345124'))
    expect(teamSealer(randomBytes(32)).lookupKey('+34612345123')).not.toBe(seal.lookupKey('+34612345123'))
    expect(seal.lookupKey('+34612345123')).toMatch(/^[0-9a-f]{64}$/)
  })

  it('keeps values as they are in the encrypted file', () => {
    expect(PLAIN.text('+34612345123', 'phone:7')).toBe('+34612345123')
    expect(PLAIN.lookupKey('+34612345123')).toBe('+34612345123')
  })
})
