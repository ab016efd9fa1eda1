import { describe, expect, it } from 'vitest'
import { manualKey, matchTotp, otpauthUri, toBase32, totpAt, type TotpAlgorithm } from './totp'

// RFC 6238 Appendix B: the seeds are the ASCII strings "1234567890" repeated to the hash's length.
const seed = (len: number) => new Uint8Array(Buffer.from('1234567890'.repeat(7).slice(0, len), 'ascii'))
const SEEDS: Record<TotpAlgorithm, Uint8Array> = { sha1: seed(20), sha256: seed(32), sha512: seed(64) }
const VECTORS: [number, string, TotpAlgorithm][] = [
  [59, '94287082', 'sha1'],
  [59, '46119246', 'sha256'],
  [59, '90693936', 'sha512'],
  [1111111109, '07081804', 'sha1'],
  [1111111109, '68084774', 'sha256'],
  [1111111109, '25091201', 'sha512'],
  [1111111111, '14050471', 'sha1'],
  [1111111111, '67062674', 'sha256'],
  [1111111111, '99943326', 'sha512'],
  [1234567890, '89005924', 'sha1'],
  [1234567890, '91819424', 'sha256'],
  [1234567890, '93441116', 'sha512'],
  [2000000000, '69279037', 'sha1'],
  [2000000000, '90698825', 'sha256'],
  [2000000000, '38618901', 'sha512'],
  [20000000000, '65353130', 'sha1'],
  [20000000000, '77737706', 'sha256'],
  [20000000000, '47863826', 'sha512'],
]

describe('RFC 6238 Appendix B', () => {
  for (const [t, expected, algorithm] of VECTORS) {
    it(`T=${t} ${algorithm.toUpperCase()} → ${expected}`, async () => {
      const p = { secret: SEEDS[algorithm], algorithm, digits: 8 as const, period: 30 }
      expect(await totpAt(p, t * 1000)).toBe(expected)
      expect(await matchTotp(p, expected, t * 1000, 0)).toBe(Math.floor(t / 30))
    })
  }
})

describe('Tessera TOTP', () => {
  const secret = new Uint8Array(Buffer.from('12345678901234567890', 'ascii'))
  const p = { secret, algorithm: 'sha1' as const, digits: 6 as const, period: 30 }

  it('writes the secret as base32, and in groups of four for typing', () => {
    expect(toBase32(secret)).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ')
    expect(manualKey(secret)).toBe('GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ')
  })

  it('builds the otpauth URI with issuer, label and the default parameters', () => {
    const uri = new URL(otpauthUri(secret, 'ana@example.com'))
    expect(uri.protocol).toBe('otpauth:')
    expect(uri.host).toBe('totp')
    expect(decodeURIComponent(uri.pathname)).toBe('/Tessera:ana@example.com')
    expect(Object.fromEntries(uri.searchParams)).toMatchObject({
      secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',
      issuer: 'Tessera',
      algorithm: 'SHA1',
      digits: '6',
      period: '30',
    })
  })

  it('accepts ±1 time step and refuses 2 steps away or malformed codes', async () => {
    const now = 1_800_000_015_000
    const step = Math.floor(now / 30_000)
    const at = (k: number) => totpAt(p, now + k * 30_000)
    expect(await matchTotp(p, await at(0), now)).toBe(step)
    expect(await matchTotp(p, await at(-1), now)).toBe(step - 1)
    expect(await matchTotp(p, await at(1), now)).toBe(step + 1)
    expect(await matchTotp(p, await at(2), now)).toBeNull()
    expect(await matchTotp(p, await at(-2), now)).toBeNull()
    expect(await matchTotp(p, '12345', now)).toBeNull()
    expect(await matchTotp(p, 'abcdef', now)).toBeNull()
  })
})
