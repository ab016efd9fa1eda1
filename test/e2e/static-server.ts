import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, resolve, sep } from 'node:path'

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
}

export const RENDERER_DIR = resolve(import.meta.dirname, '../../out/renderer')

export interface StaticServer {
  origin: string
  close(): Promise<void>
}

/** Answers one window.api call for a page: (client id, channel without `api:`, input) → the Result. */
export type ApiOverHttp = (clientId: string, channel: string, input: unknown) => Promise<unknown>

/**
 * Serves the built renderer on 127.0.0.1 at a random port: files only, nothing outside the folder.
 * With `api` (the benchmark's transport, never the tests'), `POST /__api` from a page of this origin
 * also answers window.api calls: a keep-alive HTTP round trip on the loopback costs about what Electron's
 * IPC does, where a Playwright binding goes through the DevTools protocol.
 */
export async function serveRenderer(root = RENDERER_DIR, api?: ApiOverHttp): Promise<StaticServer> {
  if (!existsSync(join(root, 'index.html'))) {
    throw new Error(
      `The built renderer is missing (${join(root, 'index.html')}). Run \`npx electron-vite build\` before the browser tests.`,
    )
  }
  let origin = ''
  const server: Server = createServer((req, res) => {
    void (async () => {
      const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname)
      if (api && req.method === 'POST' && pathname === '/__api') {
        if (req.headers.origin !== origin) {
          res.writeHead(403).end()
          return
        }
        const chunks: Buffer[] = []
        for await (const chunk of req) chunks.push(chunk as Buffer)
        const { client, channel, input } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          client: string
          channel: string
          input: unknown
        }
        const result = await api(client, channel, input)
        res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' })
        res.end(JSON.stringify(result))
        return
      }
      const file = normalize(join(root, pathname === '/' ? 'index.html' : pathname))
      if (req.method !== 'GET' || !(file === root || file.startsWith(root + sep))) {
        res.writeHead(404).end()
        return
      }
      try {
        const body = await readFile(file)
        res.writeHead(200, {
          'Content-Type': types[extname(file)] ?? 'application/octet-stream',
          'Cache-Control': 'no-store',
        })
        res.end(body)
      } catch {
        res.writeHead(404).end()
      }
    })()
  })
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  const { port } = server.address() as AddressInfo
  origin = `http://127.0.0.1:${port}`
  return {
    origin,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  }
}
