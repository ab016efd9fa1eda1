import type { CountryCode } from 'libphonenumber-js/max'
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
 * That metadata is a third of the CLI's code: it is loaded the first time a number is read, not by every
 * command at start-up.
 */
export async function parseE164(input: string, field = 'to', defaultCountry?: CountryCode): Promise<string> {
  const { parsePhoneNumberWithError, ParseError } = await import('libphonenumber-js/max')
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
 * The ITU-T E.164 country calling codes, as libphonenumber-js's metadata lists them (a test keeps the two
 * equal). No code is the start of another, so a number's first one to three digits name its country.
 */
const CALLING_CODES: ReadonlySet<string> = new Set(
  (
    '1 7 20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 64 65 ' +
    '66 81 82 84 86 90 91 92 93 94 95 98 211 212 213 216 218 220 221 222 223 224 225 226 227 228 229 230 ' +
    '231 232 233 234 235 236 237 238 239 240 241 242 243 244 245 246 247 248 249 250 251 252 253 254 255 ' +
    '256 257 258 260 261 262 263 264 265 266 267 268 269 290 291 297 298 299 350 351 352 353 354 355 356 ' +
    '357 358 359 370 371 372 373 374 375 376 377 378 380 381 382 383 385 386 387 389 420 421 423 500 501 ' +
    '502 503 504 505 506 507 508 509 590 591 592 593 594 595 596 597 598 599 670 672 673 674 675 676 677 ' +
    '678 679 680 681 682 683 685 686 687 688 689 690 691 692 850 852 853 855 856 880 886 960 961 962 963 ' +
    '964 965 966 967 968 970 971 972 973 974 975 976 977 992 993 994 995 996 998'
  ).split(' '),
)

/**
 * A number for display with all but its last three digits hidden, grouped in threes from the right:
 * `+34612345123` → `+34 ••• ••• 123`. Only the country code and the last digits are shown.
 */
export function maskPhone(e164: string): string {
  const digits = e164.replace(/\D/g, '')
  // Not E.164 with a known country code: hide everything but the last three digits.
  const cc = e164.startsWith('+')
    ? ([1, 2, 3].map((n) => digits.slice(0, n)).find((c) => CALLING_CODES.has(c)) ?? '')
    : ''
  const national = digits.slice(cc.length)
  const hidden = '•'.repeat(Math.max(0, national.length - 3)) + national.slice(-3)
  const groups: string[] = []
  for (let end = hidden.length; end > 0; end -= 3) groups.unshift(hidden.slice(Math.max(0, end - 3), end))
  return cc ? `+${cc} ${groups.join(' ')}` : groups.join(' ')
}
