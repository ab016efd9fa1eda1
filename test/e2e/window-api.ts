// Bundled into an IIFE by the harness and injected before the page's own scripts: window.api built by
// the very builder the preload uses, over a Playwright binding instead of ipcRenderer.invoke.
import { buildApiClient } from '../../src/shared/client'

const page = globalThis as unknown as {
  api: unknown
  __tesseraInvoke: (channel: string, input: unknown) => Promise<unknown>
}
page.api = buildApiClient((channel, input) => page.__tesseraInvoke(channel, input))
