import { describe, expect, it } from 'vitest'
import { AppError } from '../../shared/result'
import { maskPhone, parseE164 } from './phone'

describe('phone numbers', () => {
  it('parse any usual spelling to E.164', () => {
    expect(parseE164('+34 612 345 123')).toBe('+34612345123')
    expect(parseE164(' +1 (415) 555-0123 ')).toBe('+14155550123')
    expect(parseE164('612 345 123', 'to', 'ES')).toBe('+34612345123')
  })

  it('refuse what is not a number in use, with a clear message', () => {
    for (const bad of ['12345', 'call me', '+34 123', '+44 7700 900123', '']) {
      expect(() => parseE164(bad), bad).toThrow(AppError)
    }
    expect(() => parseE164('612345123')).toThrow(/start it with \+ and the country code/)
    expect(() => parseE164('+34 123')).toThrow(/^The phone number is not valid/)
  })

  it('mask all but the country code and the last three digits', () => {
    expect(maskPhone('+34612345123')).toBe('+34 ••• ••• 123')
    expect(maskPhone('+14155550123')).toBe('+1 • ••• ••• 123')
    expect(maskPhone('+34612345123')).not.toMatch(/612|345/)
  })
})
