import { i18n, languageFor } from '../i18n'

/**
 * Every date and time the console shows goes through these functions (Intl): in the console's language
 * (see currentLocale) unless a locale is given, with the time zone named wherever a time of day is
 * shown. Times in ordered lists (events) carry seconds.
 */

const formats = new Map<string, Intl.DateTimeFormat>()

/**
 * The locale the console formats in: its language (i18n), with the OS's region when the OS speaks that
 * language too (es-MX dates for a Mexican Spanish OS). When the console reads English only because it
 * does not have the OS's language, dates and times keep the OS's locale (German dates on a German OS);
 * a language the person chose that is not the OS's formats as that language.
 */
export function currentLocale(): string {
  const os = typeof navigator !== 'undefined' ? navigator.language : ''
  return os && languageFor(os) === i18n.language ? os : i18n.language
}

function formatter(kind: string, options: Intl.DateTimeFormatOptions, locale?: string): Intl.DateTimeFormat {
  const tag = locale ?? currentLocale()
  const key = `${kind}|${tag}`
  let f = formats.get(key)
  if (!f) {
    try {
      f = new Intl.DateTimeFormat(tag, options)
    } catch {
      // A tag the runtime does not know: the runtime's own default locale rather than no date at all.
      f = new Intl.DateTimeFormat(undefined, options)
    }
    formats.set(key, f)
  }
  return f
}

const DATE: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric' }
const TIME: Intl.DateTimeFormatOptions = {
  ...DATE,
  hour: '2-digit',
  minute: '2-digit',
  timeZoneName: 'short',
}
const TIME_SECONDS: Intl.DateTimeFormatOptions = { ...TIME, second: '2-digit' }

/** A moment: date, time of day and time zone ("Mar 4, 2026, 09:15 CET"); with `seconds`, to the second. */
export function formatDateTime(at: number, options: { seconds?: boolean; locale?: string } = {}): string {
  return options.seconds
    ? formatter('time-seconds', TIME_SECONDS, options.locale).format(at)
    : formatter('time', TIME, options.locale).format(at)
}

/** A day, where the time of day does not matter ("Mar 4, 2026"). */
export function formatDate(at: number, locale?: string): string {
  return formatter('date', DATE, locale).format(at)
}

/** A week, named by its first day ("Mar 2"), as the dashboard's chart labels it. */
export function formatWeekOf(at: number, locale?: string): string {
  return formatter('week', { month: 'short', day: 'numeric' }, locale).format(at)
}

/** The name of the person's time zone as the formatter shows it ("CET", "GMT+2"), for headings and hints. */
export function timeZoneName(at: number = Date.now(), locale?: string): string {
  const parts = formatter('zone', { timeZoneName: 'short' }, locale).formatToParts(at)
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? ''
}

const DAY = 24 * 60 * 60_000

/** Local midnight at the start of the day of `at`. */
export function startOfLocalDay(at: number): number {
  const d = new Date(at)
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime()
}

/** Monday 00:00, local time, of the week of `at`. */
export function startOfLocalWeek(at: number): number {
  const d = new Date(startOfLocalDay(at))
  const sinceMonday = (d.getDay() + 6) % 7
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() - sinceMonday).getTime()
}

/** The local day a date field holds ("2026-03-04") as its midnight, or undefined when empty or invalid. */
export function localDayStart(value: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  if (!m) return undefined
  const at = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])).getTime()
  return Number.isNaN(at) ? undefined : at
}

/** Local midnight after the day a date field holds: the exclusive end of a range that includes that day. */
export function localDayEnd(value: string): number | undefined {
  const start = localDayStart(value)
  if (start === undefined) return undefined
  // Through Date, not + 24 h: a day with a daylight-saving change is 23 or 25 hours long.
  const d = new Date(start + DAY / 2)
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime()
}

/** The exact stored instant, as the raw record and the exports write it (ISO 8601, UTC). */
export const formatIsoUtc = (at: number): string => new Date(at).toISOString()
