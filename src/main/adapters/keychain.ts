import { createRequire } from 'node:module'

/** The OS keychain, reduced to what Tessera needs. Service name "Tessera", one account per database. */
export interface Keychain {
  get(account: string): Promise<string | null>
  set(account: string, secret: string): Promise<void>
  delete(account: string): Promise<boolean>
}

export const KEYCHAIN_SERVICE = 'Tessera'

/** Raised when the keychain itself cannot be reached (no D-Bus session, no Secret Service, no libsecret). */
export class KeychainUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`The OS keychain is not available: ${(cause as Error)?.message ?? String(cause)}`)
    this.name = 'KeychainUnavailableError'
  }
}

interface Keytar {
  getPassword(service: string, account: string): Promise<string | null>
  setPassword(service: string, account: string, password: string): Promise<void>
  deletePassword(service: string, account: string): Promise<boolean>
}

/**
 * keytar through its native addon. It is loaded on first use, so a machine without libsecret can still
 * run everything that does not need the keychain. `fromDir` loads the Electron-ABI build in the app.
 */
export function createKeytarKeychain(service = KEYCHAIN_SERVICE, fromDir?: string): Keychain {
  let keytar: Keytar | undefined
  const load = (): Keytar => {
    if (keytar) return keytar
    try {
      const req = createRequire(fromDir ? `${fromDir}/` : import.meta.url)
      keytar = req('keytar') as Keytar
      return keytar
    } catch (e) {
      throw new KeychainUnavailableError(e)
    }
  }
  const guard = async <T>(fn: (k: Keytar) => Promise<T>): Promise<T> => {
    const k = load()
    try {
      return await fn(k)
    } catch (e) {
      throw new KeychainUnavailableError(e)
    }
  }
  return {
    get: (account) => guard((k) => k.getPassword(service, account)),
    set: (account, secret) => guard((k) => k.setPassword(service, account, secret)),
    delete: (account) => guard((k) => k.deletePassword(service, account)),
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
