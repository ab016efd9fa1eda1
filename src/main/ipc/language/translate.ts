import { z } from 'zod'
import type { Language } from '../../../shared/contract/preferences'
import type { ApiError } from '../../../shared/result'
import { messagesIn } from '../../core/messages'
import { es, esValues } from './es'

/**
 * Server messages in the console's language. Main's errors are written in English, once, where they are
 * raised; a console that shows Spanish gets them through the Spanish catalog, keyed by the English text.
 * A key with numbered placeholders (`A user with the email {0} already exists.`) stands for a template
 * literal: what fills it in is kept as it came (an address, a date, a count). A message missing from the
 * catalog stays English (the scan test keeps the catalog complete).
 */
type Catalog = Readonly<Record<string, string>>

interface Pattern {
  re: RegExp
  to: string
  /** Letters outside placeholders: the most specific pattern is tried first. */
  weight: number
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
const PLACEHOLDER = /\{(\d+)\}/g

function patternsOf(catalog: Catalog, values: Catalog): Pattern[] {
  // A placeholder tries the words a message fills in from a closed set first (longest first), so that
  // "{2} {3} {4}" splits "reset the 2FA of an administrator" where the words are, then anything.
  const words = Object.keys(values)
    .sort((a, b) => b.length - a.length)
    .map(escapeRe)
    .join('|')
  return Object.entries(catalog)
    .filter(([from]) => /\{\d+\}/.test(from))
    .map(([from, to]) => {
      const literals = from.split(/\{\d+\}/)
      const order = [...from.matchAll(PLACEHOLDER)].map((m) => Number(m[1]))
      // Each placeholder becomes a named group, whatever its position in the English text.
      let source = '^' + escapeRe(literals[0]!)
      order.forEach((n, i) => {
        source += `(?<p${n}>(?:${words})|[\\s\\S]*?)` + escapeRe(literals[i + 1]!)
      })
      return { re: new RegExp(source + '$'), to, weight: literals.join('').length }
    })
    .sort((a, b) => b.weight - a.weight)
}

const compiled: Record<Exclude<Language, 'en'>, { exact: Catalog; values: Catalog; patterns: Pattern[] }> = {
  es: { exact: es, values: esValues, patterns: patternsOf(es, esValues) },
}

/** `message` in `language` (English as it is). */
export function translateMessage(message: string, language: Language): string {
  if (language === 'en') return message
  const { exact, values, patterns } = compiled[language]
  const known = exact[message]
  if (known !== undefined) return known
  for (const p of patterns) {
    const m = p.re.exec(message)
    if (!m) continue
    // A value that is itself a known text (a reason inside a sentence) or word (a role, a status) is
    // translated too; anything else (an address, a date, a count) is kept as it came.
    return p.to.replace(PLACEHOLDER, (_, n: string) => {
      const value = m.groups?.[`p${n}`] ?? ''
      return exact[value] ?? values[value] ?? momentIn(value, language) ?? value
    })
  }
  return message
}

/** A moment main wrote into a message (`2026-12-01 10:00 UTC`), as `language` writes it; else undefined. */
function momentIn(value: string, language: Language): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}) UTC$/.exec(value)
  return m ? messagesIn(language).when(Date.parse(`${m[1]}T${m[2]}:00Z`)) : undefined
}

/** An error as the console in `language` shows it: its message and its fields' messages. */
export function translateError(error: ApiError, language: Language): ApiError {
  if (language === 'en') return error
  return {
    ...error,
    message: translateMessage(error.message, language),
    ...(error.fields
      ? {
          fields: Object.fromEntries(
            Object.entries(error.fields).map(([k, v]) => [k, translateMessage(v, language)]),
          ),
        }
      : {}),
  }
}

/** zod's own messages (a field missing, a wrong type) in `language`; the contract's are in the catalog. */
export const zodErrorsIn = (language: Language): z.core.$ZodErrorMap | undefined =>
  language === 'es' ? spanishZod : undefined
const spanishZod = z.locales.es().localeError
