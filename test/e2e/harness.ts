import AxeBuilder from '@axe-core/playwright'
import { expect, test as base, type BrowserContext, type Page } from '@playwright/test'
import { createHash, randomUUID } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { build } from 'vite'
import { ManualClock } from '../../src/main/adapters/clock'
import { createKeytarKeychain, type Keychain } from '../../src/main/adapters/keychain'
import type { Backend } from '../../src/main/core/backend'
import type { Gate } from '../../src/main/ipc/gate'
import { isTrustedSender } from '../../src/main/ipc/security'
import { gateFor, startTestBackend } from '../fixtures/backend'
import { serveRenderer, type StaticServer } from './static-server'

const SCREENSHOTS = resolve(import.meta.dirname, '../screenshots')

/** The WCAG 2.1 A and AA rules; a serious or critical finding on any screen a test visits fails the test. */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']

/**
 * What axe finds on the page as it is now, serious and critical only, one line per element. Run in the
 * page itself (axe.run, "legacy mode"): the default mode opens and closes a second page for every check,
 * which ran our init scripts and injected axe twice — about 3 s a check instead of 1 — and the console has
 * no cross-origin frames for that mode to reach. Only violations are detailed; passes are not collected.
 */
export async function accessibilityViolations(page: Page, step: string): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(AXE_TAGS)
    .options({ resultTypes: ['violations'] })
    .setLegacyMode()
    .analyze()
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) =>
      v.nodes.map(
        (n) =>
          `${step}: ${v.id} (${v.impact}) at ${n.target.join(' ')}: ${n.failureSummary?.replace(/\s+/g, ' ')}`,
      ),
    )
}

/**
 * The screen as axe sees it, without its words: every element's tag, classes, role, ARIA and state
 * attributes and whether it holds text, the theme and the language. Two shots with the same
 * structure are the same screen with other data (another user's page, a later minute); axe's verdict
 * on them is the same, so a screen is checked once per run of a worker.
 */
async function screenStructure(page: Page): Promise<string> {
  const structure = await page.evaluate<string>(STRUCTURE_SCRIPT)
  return createHash('sha256').update(structure).digest('hex')
}
// Runs in the page (a string: this file is compiled without the DOM's types).
const STRUCTURE_SCRIPT = String.raw`(() => {
  // Values that change how a screen reads (a role, a state); other attributes by presence only (ids
  // differ between renders, labels are words).
  const STRUCTURAL = new Set(['role', 'class', 'disabled', 'hidden', 'inert', 'type', 'tabindex', 'href', 'for'])
  const VALUED = new Set(['role', 'class', 'type', 'tabindex', 'aria-hidden', 'aria-expanded', 'aria-selected',
    'aria-checked', 'aria-pressed', 'aria-current', 'aria-invalid', 'aria-disabled', 'aria-modal', 'aria-live'])
  const root = document.documentElement
  const parts = [root.dataset.theme ?? '', root.lang, String(root.scrollWidth)]
  for (const el of document.body.querySelectorAll('*')) {
    const attrs = [...el.attributes]
      .filter((a) => a.name.startsWith('aria-') || STRUCTURAL.has(a.name))
      .map((a) => (VALUED.has(a.name) ? a.name + '=' + a.value : a.name))
    const text = [...el.childNodes].some((c) => c.nodeType === Node.TEXT_NODE && c.textContent.trim() !== '')
    parts.push(el.tagName + (text ? '#' : '') + '[' + attrs.join(' ') + ']')
  }
  return parts.join('\n')
})()`
const setTheme = (page: Page, theme: string) =>
  page.evaluate(`document.documentElement.dataset.theme = ${JSON.stringify(theme)}`)
const checkedScreens = new Set<string>()

/** test/e2e/window-api.ts as one IIFE, built the way Vite builds the app, kept in memory. */
export async function bundleWindowApi(): Promise<string> {
  const out = await build({
    configFile: false,
    logLevel: 'warn',
    build: {
      write: false,
      minify: false,
      emptyOutDir: false,
      lib: {
        entry: resolve(import.meta.dirname, 'window-api.ts'),
        formats: ['iife'],
        name: 'TesseraWindowApi',
      },
    },
  })
  const outputs = Array.isArray(out) ? out : [out]
  for (const o of outputs) {
    if ('output' in o) {
      const chunk = o.output.find((c) => c.type === 'chunk')
      if (chunk && chunk.type === 'chunk') return chunk.code
    }
  }
  throw new Error('Bundling test/e2e/window-api.ts produced no script')
}

export interface App {
  page: Page
  backend: Backend
  clock: ManualClock
  origin: string
  /** Closes the backend and starts a fresh one on the same database file, as a restart of the app does. */
  restart(): Promise<Backend>
  /**
   * Full-page screenshot at test/screenshots/<test>-<step>.png; of `of` when another page (a second client).
   * Each screen shot is also checked by axe, in both themes; the test fails at its end when any had a
   * serious finding.
   */
  shot(step: string, of?: Page): Promise<void>
}

interface WorkerFixtures {
  server: StaticServer
  windowApiScript: string
}

/**
 * Per test: a temp dir, a real Backend (real keychain under its own service name, a ManualClock) behind
 * the real gate, and a page whose window.api reaches it through a binding that checks the sender.
 */
export const test = base.extend<{ app: App }, WorkerFixtures>({
  server: [
    // Playwright reads a fixture's dependencies from its first parameter: none here.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const server = await serveRenderer()
      await use(server)
      await server.close()
    },
    { scope: 'worker' },
  ],
  // eslint-disable-next-line no-empty-pattern
  windowApiScript: [async ({}, use) => use(await bundleWindowApi()), { scope: 'worker' }],

  app: async ({ context, page, server, windowApiScript }, use, testInfo) => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-e2e-'))
    const keychain: Keychain = createKeytarKeychain(`Tessera-e2e-${randomUUID()}`)
    const clock = new ManualClock(Date.now())
    let backend = await startTestBackend({ dir, keychain, clock })
    let gate: Gate = gateFor(backend)

    await exposeApi(context, server.origin, () => gate)
    await context.addInitScript({ content: windowApiScript })
    await page.goto(server.origin)

    const slug = testInfo.title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
    mkdirSync(SCREENSHOTS, { recursive: true })
    const violations: string[] = []
    /**
     * axe on the screen as it is, in both themes: the page's own, then the other one set on <html
     * data-theme> (where every colour token switches) and put back, so no screen passes in one theme only.
     */
    const check = async (of: Page, step: string) => {
      const applied = await of.evaluate<string>("document.documentElement.dataset.theme ?? 'light'")
      try {
        for (const theme of [applied, applied === 'dark' ? 'light' : 'dark']) {
          await setTheme(of, theme)
          const screen = await screenStructure(of)
          if (checkedScreens.has(screen)) continue
          const found = await accessibilityViolations(of, theme === applied ? step : `${step} (${theme})`)
          violations.push(...found)
          // A screen with findings is checked again wherever it shows, so each place it appears is reported.
          if (found.length === 0) checkedScreens.add(screen)
        }
      } finally {
        await setTheme(of, applied)
      }
    }
    const app: App = {
      page,
      get backend() {
        return backend
      },
      clock,
      origin: server.origin,
      restart: async () => {
        await backend.close()
        backend = await startTestBackend({ dir, keychain, clock })
        gate = gateFor(backend)
        return backend
      },
      shot: async (step, of = page) => {
        await of.screenshot({ path: join(SCREENSHOTS, `${slug}-${step}.png`), fullPage: true })
        await check(of, step)
      },
    }
    await use(app)
    // The screen the test ended on is checked too, then every finding is reported at once.
    if (!page.isClosed()) await check(page, 'end')
    expect(violations, 'serious or critical accessibility findings (axe)').toEqual([])

    // Whatever the test did, the audit trail it left must still verify.
    if (backend.phase === 'open') expect((await backend.services().audit.verify()).ok).toBe(true)
    await backend.close()
    rmSync(dir, { recursive: true, force: true })
  },
})

const clientIds = new WeakMap<Page, string>()

/** The e2e twin of registerApi: only the app's top frame on the served origin may call, one client per page. */
export async function exposeApi(context: BrowserContext, origin: string, gate: () => Gate): Promise<void> {
  await context.exposeBinding('__tesseraInvoke', async (source, channel: unknown, input: unknown) => {
    const frame = source.frame
    const trusted =
      frame === source.page.mainFrame() &&
      isTrustedSender(
        { url: frame.url(), parent: frame.parentFrame() },
        { devServerUrl: origin, rendererFile: '' },
      )
    if (!trusted || typeof channel !== 'string' || !channel.startsWith('api:')) {
      return { ok: false, error: { code: 'FORBIDDEN', message: 'This page may not call Tessera.' } }
    }
    let clientId = clientIds.get(source.page)
    if (!clientId) {
      clientId = `page-${randomUUID()}`
      clientIds.set(source.page, clientId)
    }
    return gate()(clientId, channel.slice('api:'.length), input)
  })
}

export { expect }
