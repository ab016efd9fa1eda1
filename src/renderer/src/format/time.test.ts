import { localWeekOf } from '../features/dashboard/BackupCodeChart'
import { i18n } from '../i18n'
import {
  currentLocale,
  formatDate,
  formatDateTime,
  localDayEnd,
  localDayStart,
  startOfLocalWeek,
  timeZoneName,
} from './time'

const AT = Date.UTC(2026, 2, 4, 9, 15, 42)

describe('the one date and time formatter', () => {
  it('shows the time zone with every time of day, seconds where asked', () => {
    const zone = timeZoneName(AT, 'en-GB')
    expect(zone).not.toBe('')
    expect(formatDateTime(AT, { locale: 'en-GB' })).toContain(zone)
    expect(formatDateTime(AT, { locale: 'en-GB' })).not.toMatch(/:42/)
    expect(formatDateTime(AT, { seconds: true, locale: 'en-GB' })).toMatch(/:\d\d:42 /)
    expect(formatDateTime(AT, { seconds: true, locale: 'en-GB' })).toContain(zone)
  })

  it("follows the person's locale, or the one given", () => {
    expect(formatDate(AT, 'en-US')).toBe('Mar 4, 2026')
    expect(formatDate(AT, 'de-DE')).toBe('4. März 2026')
    expect(formatDate(AT)).toBe(formatDate(AT, navigator.language))
    // A tag the runtime does not know still formats.
    expect(formatDate(AT, 'xx-invalid-tag-!')).toMatch(/2026/)
  })

  it('turns date fields into local days, the last day included', () => {
    const start = localDayStart('2026-03-04')!
    const end = localDayEnd('2026-03-04')!
    expect(new Date(start).getHours()).toBe(0)
    expect(new Date(start).getDate()).toBe(4)
    expect(new Date(end).getDate()).toBe(5)
    expect(new Date(end).getHours()).toBe(0)
    expect(localDayStart('')).toBeUndefined()
    expect(localDayStart('4.3.2026')).toBeUndefined()
  })

  it('names each UTC-counted week of the chart by its local Monday', () => {
    const monday = startOfLocalWeek(AT)
    expect(new Date(monday).getDay()).toBe(1)
    expect(new Date(monday).getHours()).toBe(0)
    const utcWeek = Date.UTC(2026, 2, 2)
    const local = new Date(localWeekOf(utcWeek))
    expect(local.getDay()).toBe(1)
    expect(local.getDate()).toBe(2)
  })
})

describe('the console language', () => {
  afterEach(() => i18n.changeLanguage('en'))

  it('sets the locale dates and times are written in', async () => {
    await i18n.changeLanguage('es')
    expect(currentLocale()).toBe('es')
    expect(formatDate(AT)).toBe('4 mar 2026')
    expect(document.documentElement.lang).toBe('es')
    await i18n.changeLanguage('en')
    // The OS's region stays when the OS speaks the console's language.
    expect(currentLocale()).toBe(navigator.language)
    expect(document.documentElement.lang).toBe('en')
  })
})
