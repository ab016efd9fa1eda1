import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
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
 * With `api` (the benchmark's transport, never the tests'), window.api calls from a page of this origin
 * are answered too, over a WebSocket at `/__ws` or by `POST /__api`: loopback round trips nearer what
 * Electron's IPC costs than a Playwright binding, which goes through the DevTools protocol.
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
  if (api) {
    server.on('upgrade', (req, socket: Socket) => {
      if (req.url !== '/__ws' || req.headers.origin !== origin || !req.headers['sec-websocket-key']) {
        socket.destroy()
        return
      }
      answerOverWebSocket(socket, String(req.headers['sec-websocket-key']), api)
    })
  }
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  const { port } = server.address() as AddressInfo
  origin = `http://127.0.0.1:${port}`
  return {
    origin,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  }
}

const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11'

/** One unfragmented, unmasked frame from the server (RFC 6455 §5.2). */
function frame(opcode: number, payload: Buffer): Buffer {
  const n = payload.length
  const head =
    n < 126
      ? Buffer.from([0x80 | opcode, n])
      : n < 65536
        ? Buffer.from([0x80 | opcode, 126, n >> 8, n & 0xff])
        : Buffer.concat([Buffer.from([0x80 | opcode, 127]), Buffer.alloc(8)])
  if (n >= 65536) head.writeBigUInt64BE(BigInt(n), 2)
  return Buffer.concat([head, payload])
}

/**
 * window.api calls over one WebSocket per page (the benchmark's default transport): a message each way
 * on a connection kept open, without HTTP's request and response around each call. Enough of RFC 6455
 * for a browser's own messages: masked text frames, ping, close (a browser does not fragment these).
 */
function answerOverWebSocket(socket: Socket, key: string, api: ApiOverHttp): void {
  const accept = createHash('sha1')
    .update(key + WEBSOCKET_GUID)
    .digest('base64')
  socket.setNoDelay(true)
  socket.write(
    `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
  )
  const answer = async (text: string) => {
    const { id, client, channel, input } = JSON.parse(text) as {
      id: number
      client: string
      channel: string
      input: unknown
    }
    const result = await api(client, channel, input)
    if (!socket.destroyed) socket.write(frame(1, Buffer.from(JSON.stringify({ id, result }))))
  }
  let pending: Buffer = Buffer.alloc(0)
  socket.on('data', (chunk: Buffer) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk
    for (;;) {
      if (pending.length < 2) return
      const opcode = pending[0]! & 0x0f
      let length = pending[1]! & 0x7f
      let at = 2
      if (length === 126) {
        if (pending.length < 4) return
        length = pending.readUInt16BE(2)
        at = 4
      } else if (length === 127) {
        if (pending.length < 10) return
        length = Number(pending.readBigUInt64BE(2))
        at = 10
      }
      const mask = pending[1]! & 0x80 ? pending.subarray(at, at + 4) : undefined
      if (mask) at += 4
      if (pending.length < at + length) return
      const payload = Buffer.from(pending.subarray(at, at + length))
      if (mask) for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i & 3]!
      pending = pending.subarray(at + length)
      if (opcode === 8) {
        socket.end(frame(8, Buffer.alloc(0)))
        return
      }
      if (opcode === 9) socket.write(frame(10, payload))
      else if (opcode === 1) void answer(payload.toString('utf8'))
    }
  })
  socket.on('error', () => socket.destroy())
}
