import { parsePhoneNumberWithError, ParseError, type CountryCode } from 'libphonenumber-js/max'
import { AppError } from '../../shared/result'

const REASONS: Record<string, string> = {
  INVALID_COUNTRY: 'start it with + and the country code (e.g. +34 612 345 678)',
  NOT_A_NUMBER: 'it does not look like a phone number',
  TOO_SHORT: 'it is too short',
  TOO_LONG: 'it is too long',
  INVALID_LENGTH: 'it has the wrong number of digits',
}

/**
 * A phone number as E.164 (`+34612345678`), or a VALIDATION error saying what is wrong with it. Uses the
 * full metadata, so a number with a plausible length but no such range in its country is refused too.
 */
export function parseE164(input: string, field = 'to', defaultCountry?: CountryCode): string {
  const fields = { fields: { [field]: 'Enter a valid phone number' } }
  let parsed
  try {
    parsed = parsePhoneNumberWithError(input.trim(), defaultCountry ? { defaultCountry } : {})
  } catch (e) {
    const why = e instanceof ParseError ? (REASONS[e.message] ?? e.message) : 'it cannot be read'
    throw new AppError('VALIDATION', `The phone number is not valid: ${why}.`, fields)
  }
  if (!parsed.isValid()) {
    throw new AppError(
      'VALIDATION',
      `The phone number is not valid: ${parsed.formatInternational()} is not a number in use in that country.`,
      fields,
    )
  }
  return parsed.number
}

/**
 * A number for display with all but its last three digits hidden, grouped in threes from the right:
 * `+34612345123` → `+34 ••• ••• 123`. Only the country code and the last digits are shown.
 */
export function maskPhone(e164: string): string {
  let cc = ''
  let national = e164.replace(/\D/g, '')
  try {
    const parsed = parsePhoneNumberWithError(e164)
    cc = parsed.countryCallingCode
    national = parsed.nationalNumber
  } catch {
    // Not parseable: hide everything but the last three digits.
  }
  const hidden = '•'.repeat(Math.max(0, national.length - 3)) + national.slice(-3)
  const groups: string[] = []
  for (let end = hidden.length; end > 0; end -= 3) groups.unshift(hidden.slice(Math.max(0, end - 3), end))
  return cc ? `+${cc} ${groups.join(' ')}` : groups.join(' ')
}
