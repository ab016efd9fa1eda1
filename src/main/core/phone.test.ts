import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { AppError } from '../../shared/result'
import { maskPhone, parseE164 } from './phone'

describe('phone numbers', () => {
  it('parse any usual spelling to E.164', async () => {
    expect(await parseE164('+34 612 345 123')).toBe('+34612345123')
    expect(await parseE164(' +1 (415) 555-0123 ')).toBe('+14155550123')
    expect(await parseE164('612 345 123', 'to', 'ES')).toBe('+34612345123')
  })

  it('refuse what is not a number in use, with a clear message', async () => {
    for (const bad of ['12345', 'call me', '+34 123', '+44 7700 900123', '']) {
      await expect(parseE164(bad), bad).rejects.toThrow(AppError)
    }
    await expect(parseE164('612345123')).rejects.toThrow(/start it with \+ and the country code/)
    await expect(parseE164('+34 123')).rejects.toThrow(/^The phone number is not valid/)
  })

  it('mask all but the country code and the last three digits', () => {
    expect(maskPhone('+34612345123')).toBe('+34 ••• ••• 123')
    expect(maskPhone('+14155550123')).toBe('+1 • ••• ••• 123')
    expect(maskPhone('+353861234567')).toBe('+353 ••• ••• 567')
    expect(maskPhone('+34612345123')).not.toMatch(/612|345/)
    expect(maskPhone('')).toBe('')
  })

  it('know every country calling code libphonenumber-js knows', () => {
    const metadata = createRequire(import.meta.url)('libphonenumber-js/metadata.max.json') as {
      country_calling_codes: Record<string, unknown>
    }
    const codes = Object.keys(metadata.country_calling_codes)
    expect(codes.length).toBeGreaterThan(200)
    for (const code of codes) expect(maskPhone(`+${code}612345678`), code).toMatch(new RegExp(`^\\+${code} `))
    // The same as the parser reads them.
    expect(maskPhone('+4915112345678')).toBe('+49 •• ••• ••• 678')
  })
})
