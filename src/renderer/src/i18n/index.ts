import i18next, { type i18n as I18n } from 'i18next'
import { useEffect, useMemo } from 'react'
import { initReactI18next } from 'react-i18next'
import type { ApiClient } from '../../../shared/client'
import { en, es } from './catalogs'

/**
 * The console's languages. Every string a person reads comes from a catalog (catalogs.ts) through
 * i18next (plurals by Intl.PluralRules, numbers and dates by Intl); a test keeps the catalogs' keys equal.
 */
export const LANGUAGES = ['en', 'es'] as const
export type Language = (typeof LANGUAGES)[number]

/** Each language named in itself, as people look for their own. */
export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = { en: 'English', es: 'Español' }

/** A BCP 47 tag (the OS's, `es-MX`) to the console's language; anything else reads English. */
export function languageFor(tag: string | null | undefined): Language {
  const base = (tag ?? '').toLowerCase().split(/[-_]/)[0]
  return (LANGUAGES as readonly string[]).includes(base ?? '') ? (base as Language) : 'en'
}

/** The OS's language as Chromium reports it (Electron passes the system locale). */
export const osLanguage = (): Language => languageFor(globalThis.navigator?.language)

export const i18n: I18n = i18next.createInstance()
void i18n.use(initReactI18next).init({
  resources: { en, es } as unknown as Record<Language, Record<string, object>>,
  defaultNS: 'common',
  ns: Object.keys(en),
  lng: osLanguage(),
  fallbackLng: 'en',
  supportedLngs: [...LANGUAGES],
  // React escapes what it renders; escaping here too would show "&amp;" in names.
  interpolation: { escapeValue: false },
  // The catalogs are bundled: ready before the first render, no loading state.
  initAsync: false,
  returnNull: false,
})

// <html lang> says the language whoever changes it, from the first render on.
const markDocument = (language: string): void => {
  if (typeof document !== 'undefined') document.documentElement.lang = language
}

/**
 * Main words its answers to this window (refusals, field messages) in the language shown here; it
 * keeps English for a window that never says. Told before the first screen asks anything, and again at
 * every change. A window without the bridge (a component test without a backend) has nobody to tell.
 */
const tellMain = (language: string): void => {
  const console_ = (globalThis as { window?: { api?: Partial<ApiClient> } }).window?.api?.console
  void console_?.setLanguage({ language: languageFor(language) }).catch(() => undefined)
}

i18n.on('languageChanged', (language) => {
  markDocument(language)
  tellMain(language)
})
markDocument(i18n.language)
tellMain(i18n.language)

/** Shows the console in `language` and says so on <html lang>, for screen readers and hyphenation. */
export function useLanguage(language: Language): void {
  useEffect(() => {
    if (i18n.language !== language) void i18n.changeLanguage(language)
    document.documentElement.lang = language
  }, [language])
}

/** Texts a memoized `t` keeps before it starts again (a long list's rows each name someone). */
const MEMO_LIMIT = 5000

/**
 * `t` with its answers kept: the same key and values give the same text until the language changes (a
 * new `t`). For the screens that redraw often and big: the Users page's chips, selects and rows ask
 * for the same few dozen texts on every change of filter, and i18next resolves each anew (key lookup,
 * plural rules, interpolation) — a third of what drawing a new page of rows cost.
 */
export function useMemoizedT<T extends (...args: never[]) => unknown>(t: T): T {
  return useMemo(() => {
    const kept = new Map<string, unknown>()
    return ((...args: Parameters<T>) => {
      const id =
        args.length <= 1 ? String(args[0]) : `${String(args[0])}\u0000${JSON.stringify(args.slice(1))}`
      if (kept.has(id)) return kept.get(id)
      if (kept.size >= MEMO_LIMIT) kept.clear()
      const text = t(...args)
      kept.set(id, text)
      return text
    }) as T
  }, [t])
}

/**
 * A message with one value in it, looked up once: the function it returns costs a concatenation instead
 * of a lookup and an interpolation, for a text drawn on every row of a long list ("Select {{name}}").
 * `message` renders the text with a given value. If the value does not come out exactly once in it,
 * the message is rendered anew each time, as before.
 */
export function messageWith(message: (value: string) => string): (value: string) => string {
  const mark = '\u0000'
  const parts = message(mark).split(mark)
  if (parts.length !== 2) return message
  const [before, after] = parts as [string, string]
  return (value) => before + value + after
}
