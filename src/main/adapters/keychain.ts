import type * as ChildProcess from 'node:child_process'
import { createRequire } from 'node:module'

/**
 * node:child_process, loaded only when a keychain call needs a helper process or the D-Bus check: an
 * import would load it (about 4 ms) in every CLI run that reads a key.
 */
const childProcess = (): typeof ChildProcess =>
  createRequire(import.meta.url)('node:child_process') as typeof ChildProcess

/** The OS keychain, reduced to what Tessera needs. Service name "Tessera", one account per database. */
export interface Keychain {
  get(account: string): Promise<string | null>
  set(account: string, secret: string): Promise<void>
  delete(account: string): Promise<boolean>
}

export const KEYCHAIN_SERVICE = 'Tessera'

/** Raised when the keychain itself cannot be reached (no D-Bus session, no Secret Service, no libsecret). */
export class KeychainUnavailableError extends Error {
  constructor(
    cause: unknown,
    /** This process cannot reach the keychain again even once it is back: Tessera must be restarted. */
    readonly restartNeeded = false,
  ) {
    super(`The OS keychain is not available: ${(cause as Error)?.message ?? String(cause)}`)
    this.name = 'KeychainUnavailableError'
  }
}

interface Keytar {
  getPassword(service: string, account: string): Promise<string | null>
  setPassword(service: string, account: string, password: string): Promise<void>
  deletePassword(service: string, account: string): Promise<boolean>
}

type Operation =
  | { op: 'get'; account: string }
  | { op: 'set'; account: string; secret: string }
  | { op: 'delete'; account: string }

/**
 * libsecret keeps the Secret Service's unique bus name (":1.0") from its first call. When the keyring
 * daemon stops, every later call in this process fails with this, even after a new daemon took the
 * service's name: the process runs no GLib main loop, so libsecret never hears of the new owner.
 */
const STALE_SERVICE = /The name :\d+\.\d+ was not provided by any \.service files/

/**
 * Under plain Node (the CLI, a worker), a keytar call that must bypass the stale connection runs in a
 * short-lived Node process of its own. Not inside Electron: there `process.execPath` is the app, which
 * will not run as Node once its RunAsNode fuse is off.
 */
const freshProcessAllowed = (): boolean => !process.versions.electron

/** Runs one keytar call in a new Node process; the secret travels on stdin, never in argv. */
function inFreshProcess(keytarPath: string, service: string, operation: Operation): Promise<unknown> {
  const script = `
    let input = ''
    process.stdin.on('data', (c) => (input += c)).on('end', async () => {
      const { keytarPath, service, op, account, secret } = JSON.parse(input)
      const keytar = require(keytarPath)
      try {
        const value = op === 'get' ? await keytar.getPassword(service, account)
          : op === 'set' ? await keytar.setPassword(service, account, secret)
          : await keytar.deletePassword(service, account)
        process.stdout.write(JSON.stringify({ ok: true, value: value ?? null }))
      } catch (e) {
        process.stdout.write(JSON.stringify({ ok: false, message: String(e && e.message || e) }))
      }
    })`
  return new Promise((resolve, reject) => {
    const child = childProcess().spawn(process.execPath, ['-e', script], {
      stdio: ['pipe', 'pipe', 'ignore'],
    })
    const timer = setTimeout(() => child.kill(), 15_000)
    let out = ''
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c))
    child.on('error', reject)
    child.on('close', () => {
      clearTimeout(timer)
      try {
        const answer = JSON.parse(out) as { ok: boolean; value?: unknown; message?: string }
        if (answer.ok) resolve(answer.value)
        else reject(new Error(answer.message))
      } catch {
        reject(new Error('the keychain helper process gave no answer'))
      }
    })
    child.stdin.end(JSON.stringify({ keytarPath, service, ...operation }))
  })
}

/**
 * Whether something owns the Secret Service's name on the session bus. libsecret reads a missing
 * service as an empty keychain (no such entry), which must not be taken for "the key was deleted"; asked
 * after libsecret's own call, which starts a service that D-Bus can activate. Unknown (no dbus-send)
 * counts as running.
 */
function secretServiceRunning(): Promise<boolean> {
  return new Promise((resolve) => {
    childProcess().execFile(
      'dbus-send',
      [
        '--session',
        '--print-reply',
        '--dest=org.freedesktop.DBus',
        '/org/freedesktop/DBus',
        'org.freedesktop.DBus.NameHasOwner',
        'string:org.freedesktop.secrets',
      ],
      { timeout: 5_000 },
      (error, stdout) => {
        if (error) resolve((error as NodeJS.ErrnoException).code === 'ENOENT')
        else resolve(!/boolean false/.test(stdout))
      },
    )
  })
}

/**
 * keytar through its native addon. It is loaded on first use, so a machine without libsecret can still
 * run everything that does not need the keychain. `fromDir` loads the Electron-ABI build in the app.
 *
 * A keyring daemon that stops and starts again mid-session leaves keytar in this process talking to the
 * old one (see STALE_SERVICE). Under plain Node every later call then runs in a fresh process, so work
 * resumes once the keychain is back; in the app the error says to restart Tessera.
 */
export function createKeytarKeychain(service = KEYCHAIN_SERVICE, fromDir?: string): Keychain {
  let keytar: Keytar | undefined
  let keytarPath: string | undefined
  let stale = false
  const load = (): Keytar => {
    if (keytar) return keytar
    try {
      const req = createRequire(fromDir ? `${fromDir}/` : import.meta.url)
      keytarPath = req.resolve('keytar')
      keytar = req(keytarPath) as Keytar
      return keytar
    } catch (e) {
      throw new KeychainUnavailableError(e)
    }
  }
  const notRunning = () =>
    new KeychainUnavailableError('no keyring (Secret Service) is running on this D-Bus session')
  const lostConnection = () =>
    new KeychainUnavailableError(
      'Tessera lost its connection to it when the keyring stopped; restart Tessera once the keyring runs again',
      true,
    )
  const viaFreshProcess = async (operation: Operation): Promise<unknown> => {
    try {
      return await inFreshProcess(keytarPath!, service, operation)
    } catch (e) {
      throw new KeychainUnavailableError(e)
    }
  }
  const attempt = async (operation: Operation, fn: (k: Keytar) => Promise<unknown>): Promise<unknown> => {
    const k = load()
    if (stale) return viaFreshProcess(operation)
    try {
      return await fn(k)
    } catch (e) {
      if (!STALE_SERVICE.test((e as Error)?.message ?? '')) throw new KeychainUnavailableError(e)
      if (!freshProcessAllowed()) throw lostConnection()
      stale = true
      return viaFreshProcess(operation)
    }
  }
  /** A missing keyring is named as such, whether libsecret failed or answered "no such entry". */
  const call = async (operation: Operation, fn: (k: Keytar) => Promise<unknown>): Promise<unknown> => {
    const noService = async () => process.platform === 'linux' && !(await secretServiceRunning())
    let answer: unknown
    try {
      answer = await attempt(operation, fn)
    } catch (e) {
      if (e instanceof KeychainUnavailableError && !e.restartNeeded && (await noService())) throw notRunning()
      throw e
    }
    if ((answer === null || answer === false) && (await noService())) throw notRunning()
    return answer
  }
  return {
    get: async (account) =>
      (await call({ op: 'get', account }, (k) => k.getPassword(service, account))) as string | null,
    set: async (account, secret) => {
      await call({ op: 'set', account, secret }, (k) => k.setPassword(service, account, secret))
    },
    delete: async (account) =>
      (await call({ op: 'delete', account }, (k) => k.deletePassword(service, account))) as boolean,
  }
}

/** Whether the keychain answers at all (used by the first-run screen to offer it). */
export async function keychainAvailable(keychain: Keychain): Promise<boolean> {
  try {
    await keychain.get('tessera-availability-probe')
    return true
  } catch {
    return false
  }
}
