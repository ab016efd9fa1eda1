import { readdirSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { en, es } from './catalogs'
import { i18n, languageFor } from './index'

type Catalog = { [key: string]: string | Catalog }

/** Every key as a path; plural forms (`_one`, `_other`, `_many`…) count as their base key. */
function keys(catalog: Catalog, prefix = ''): Set<string> {
  const out = new Set<string>()
  for (const [k, v] of Object.entries(catalog)) {
    const path = `${prefix}${k.replace(/_(zero|one|two|few|many|other)$/, '')}`
    if (typeof v === 'string') out.add(path)
    else for (const inner of keys(v, `${path}.`)) out.add(inner)
  }
  return out
}

const missing = (from: Set<string>, in_: Set<string>) => [...from].filter((k) => !in_.has(k)).sort()

const renderer = join(import.meta.dirname, '..')

describe('the catalogs', () => {
  it.each(Object.keys(en))('of %s have the same keys in English and Spanish', (ns) => {
    const name = ns as keyof typeof en
    const [enKeys, esKeys] = [keys(en[name] as Catalog), keys(es[name] as Catalog)]
    expect(missing(enKeys, esKeys), 'in English but not in Spanish').toEqual([])
    expect(missing(esKeys, enKeys), 'in Spanish but not in English').toEqual([])
  })

  it('are all registered: every locales folder of the renderer is a namespace', () => {
    const folders = readdirSync(renderer, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith(join('locales', 'en.json')))
      .map((f) => relative(renderer, join(renderer, dirname(dirname(f)))))
    expect(folders.length).toBe(Object.keys(en).length)
  })

  it('fill every placeholder a text uses in the other language too', () => {
    const placeholders = (s: string) => [...s.matchAll(/{{\s*(\w+)/g)].map((m) => m[1]).sort()
    const flat = (c: Catalog, p = ''): [string, string][] =>
      Object.entries(c).flatMap(([k, v]) => (typeof v === 'string' ? [[p + k, v]] : flat(v, `${p}${k}.`)))
    const esTexts = new Map(flat(es as unknown as Catalog))
    for (const [key, text] of flat(en as unknown as Catalog)) {
      const other = esTexts.get(key)
      if (other !== undefined) expect(placeholders(other), key).toEqual(placeholders(text))
    }
  })
})

describe('the language', () => {
  it('follows a BCP 47 tag to a language the console has, else English', () => {
    expect(languageFor('es-MX')).toBe('es')
    expect(languageFor('es')).toBe('es')
    expect(languageFor('en-GB')).toBe('en')
    expect(languageFor('fr-FR')).toBe('en')
    expect(languageFor(undefined)).toBe('en')
  })

  it('is ready before the first render', () => {
    expect(i18n.isInitialized).toBe(true)
  })
})
