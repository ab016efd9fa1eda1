import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findNodeGyp, rebuildForElectron } from '../../scripts/electron-native.mjs'

// npm start compiles the addons against Electron's headers (scripts/electron-native.mjs). These runs use
// the real node-gyp against local addresses that cannot serve the headers; node-gyp stops before any
// compiling, so each run takes about a second.

let dir: string
let server: ChildProcess | undefined

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tessera-headers-'))
  // A minimal addon: node-gyp needs the headers before it ever reads the source.
  writeFileSync(
    join(dir, 'binding.gyp'),
    JSON.stringify({ targets: [{ target_name: 'x', sources: ['x.cc'] }] }),
  )
  writeFileSync(join(dir, 'x.cc'), 'int x;\n')
})

afterAll(() => {
  server?.kill()
  rmSync(dir, { recursive: true, force: true })
})

function rebuild(distUrl: string, logName: string, env: NodeJS.ProcessEnv = process.env) {
  const logFile = join(dir, logName)
  // A devdir of its own: headers cached by an earlier build on this machine would skip the download.
  const result = rebuildForElectron({
    moduleDir: dir,
    electronVersion: '45.5.0',
    logFile,
    distUrl,
    devdir: join(dir, 'devdir'),
    env,
  })
  return { result, log: readFileSync(logFile, 'utf8') }
}

/** A port nothing listens on: taken from the system, then released. */
async function closedPort(): Promise<number> {
  const s = createServer()
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))
  const { port } = s.address() as { port: number }
  await new Promise((resolve) => s.close(resolve))
  return port
}

/** An HTTP server in another process (node-gyp runs synchronously here) answering every request 403. */
async function forbiddingServer(): Promise<number> {
  const code = `require('node:http').createServer((q, r) => { r.statusCode = 403; r.end('forbidden') })
    .listen(0, '127.0.0.1', function () { console.log(this.address().port) })`
  server = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] })
  return new Promise((resolve, reject) => {
    server!.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim())))
    server!.once('exit', () => reject(new Error('the test server stopped')))
  })
}

describe('building the addons for Electron, when the headers cannot be downloaded', () => {
  it('finds the node-gyp that npm ships', () => {
    expect(findNodeGyp()).toMatch(/node-gyp\.js$/)
  })

  it('says the headers could not be downloaded when nothing answers at the address', async () => {
    const { result, log } = rebuild(`http://127.0.0.1:${await closedPort()}/headers`, 'refused.log')
    expect(result).toEqual({ ok: false, headersUnavailable: true })
    expect(log).toContain('ECONNREFUSED') // the details are kept in the log
  })

  it('says the same when the server refuses the download', async () => {
    const { result, log } = rebuild(`http://127.0.0.1:${await forbiddingServer()}/headers`, 'forbidden.log')
    expect(result).toEqual({ ok: false, headersUnavailable: true })
    expect(log).toContain('403')
  })

  it('does not blame the headers for another failure (no Python)', async () => {
    const { result, log } = rebuild(`http://127.0.0.1:${await closedPort()}/headers`, 'python.log', {
      ...process.env,
      NODE_GYP_FORCE_PYTHON: join(dir, 'no-such-python'),
    })
    expect(result).toEqual({ ok: false, headersUnavailable: false })
    expect(log).toContain('find Python')
  })
})
