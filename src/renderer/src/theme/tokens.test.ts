import { readFileSync } from 'node:fs'
import { join } from 'node:path'

// axe checks text contrast on the screens the browser tests visit; it does not check the edges of
// inputs and buttons or the focus ring (WCAG 1.4.11), so the tokens that draw them are checked here.
const css = readFileSync(join(import.meta.dirname, '../styles.css'), 'utf8')

function tokens(block: string): Map<string, string> {
  return new Map([...block.matchAll(/--([a-z-]+):\s*(#[0-9a-f]{6})\s*;/gi)].map((m) => [m[1]!, m[2]!]))
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  })
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!
}

export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x)
  return (hi! + 0.05) / (lo! + 0.05)
}

function block(selector: string): Map<string, string> {
  const start = css.indexOf(`${selector} {`)
  return tokens(css.slice(start, css.indexOf('}', start)))
}

const light = block(':root')
// The dark theme names only what changes, which is every colour.
const themes = { light, dark: new Map([...light, ...block(":root[data-theme='dark']")]) }

/** Text (4.5:1) and what draws a control or the focus ring (3:1), each on the backgrounds it is used on. */
const TEXT: [string, string[]][] = [
  ['text', ['bg', 'surface', 'surface-alt', 'hover', 'primary-bg']],
  ['muted', ['bg', 'surface', 'surface-alt', 'hover']],
  ['primary', ['bg', 'surface', 'primary-bg']],
  ['primary-strong', ['primary-bg', 'surface']],
  ['on-primary', ['primary', 'primary-strong']],
  ['danger', ['danger-bg', 'surface']],
  ['ok', ['ok-bg', 'surface']],
  ['warn', ['warn-bg']],
  ['warn-strong', ['surface']],
]
const CONTROLS: [string, string[]][] = [
  ['control-border', ['bg', 'surface', 'surface-alt']],
  ['focus', ['bg', 'surface', 'surface-alt']],
]

describe.each(Object.entries(themes))('the %s theme', (_, colours) => {
  it.each(TEXT)('writes --%s at 4.5:1 or more', (name, on) => {
    for (const bg of on) {
      expect(contrast(colours.get(name)!, colours.get(bg)!), `${name} on ${bg}`).toBeGreaterThanOrEqual(4.5)
    }
  })

  it.each(CONTROLS)('draws --%s at 3:1 or more', (name, on) => {
    for (const bg of on) {
      expect(contrast(colours.get(name)!, colours.get(bg)!), `${name} on ${bg}`).toBeGreaterThanOrEqual(3)
    }
  })
})

it('measures what it claims to (black on white is 21:1)', () => {
  expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5)
})

it('defines every colour of the light theme in the dark one', () => {
  const dark = block(":root[data-theme='dark']")
  expect([...light.keys()].filter((k) => !dark.has(k))).toEqual([])
})
