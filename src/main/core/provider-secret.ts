import { AppError } from '../../shared/result'
import { KeychainUnavailableError, type Keychain } from '../adapters/keychain'
import type { DatabaseKeyStore } from '../db/open'
import { deleteSetting, getSetting, putSetting } from '../db/queries/settings'
import { sealedAt } from '../db/sealed'
import type { Store } from '../db/store'

/**
 * A provider's credential (Twilio's auth token, the SMTP password), kept where the database's own key
 * is: in the OS keychain (service "Tessera", account `<databaseId>:<name>`) for a keychain database;
 * for a database opened with a passphrase there is no keychain to rely on, so in a setting of the
 * database itself (the file is encrypted as a whole; a team database seals it). Never in the
 * provider's settings, a log, argv or the audit trail.
 *
 * The keychain may go away while the database is open (the keyring daemon stops): the value last read
 * or stored in this session is then used, so messages keep going out. It is only a fallback: while the
 * keychain answers it is asked each time, so a token replaced from another process (the CLI) is seen.
 */
export class ProviderSecret {
  /** What the keychain last answered in this session (undefined: not asked yet). */
  private lastKnown: string | null | undefined

  constructor(
    private readonly d: {
      db: Store
      keychain: Keychain
      keyStore: DatabaseKeyStore
      /** The keychain account: `<databaseId>:<name>`. */
      account: string
      /** The setting that holds it where no keychain does. */
      setting: string
      /** What it is, for messages: "auth token", "SMTP password". */
      what: string
    },
  ) {}

  /** Where it is kept, as Settings shows it. */
  get store(): 'keychain' | 'database' {
    return this.d.keyStore === 'keychain' ? 'keychain' : 'database'
  }

  /** The stored value; null when there is none or it cannot be read now (a keychain that went away). */
  async get(): Promise<string | null> {
    return (await this.read()).value
  }

  /**
   * The stored value, or, when the keychain cannot be reached and nothing was read before, why: a
   * sentence for the outbox that says the message waits for the keychain (not that the secret is gone).
   */
  async read(): Promise<{ value: string | null; unreachable: string | null }> {
    if (this.d.keyStore !== 'keychain') {
      try {
        const stored = await getSetting(this.d.db, this.d.setting)
        const value =
          stored === undefined ? null : this.d.db.seal.openText(stored, sealedAt.setting(this.d.setting))
        return { value, unreachable: null }
      } catch {
        return { value: null, unreachable: null }
      }
    }
    try {
      this.lastKnown = await this.d.keychain.get(this.d.account)
      return { value: this.lastKnown, unreachable: null }
    } catch (e) {
      if (this.lastKnown !== undefined) return { value: this.lastKnown, unreachable: null }
      const restart = e instanceof KeychainUnavailableError && e.restartNeeded
      return {
        value: null,
        unreachable:
          `The OS keychain cannot be reached (it keeps the ${this.d.what}): the message waits and goes out ` +
          (restart ? 'once the keychain is back and Tessera was restarted' : 'once the keychain is back'),
      }
    }
  }

  /**
   * The first half of replacing it, before the settings' transaction: the keychain entry. A keychain that
   * refuses fails the whole change (CONFLICT) before anything was written.
   */
  async putOutside(value: string): Promise<void> {
    if (this.d.keyStore !== 'keychain') return
    try {
      await this.d.keychain.set(this.d.account, value)
      this.lastKnown = value
    } catch (e) {
      const then =
        e instanceof KeychainUnavailableError
          ? e.restartNeeded
            ? 'Nothing was changed: restart Tessera once the keychain runs again, then save again.'
            : 'Nothing was changed: save again once the keychain is back.'
          : 'Nothing was changed.'
      throw new AppError('CONFLICT', `The ${this.d.what} cannot be stored: ${(e as Error).message}. ${then}`)
    }
  }

  /** The second half, inside the settings' transaction: the database copy, or none beside a keychain. */
  async putInside(value: string): Promise<void> {
    if (this.d.keyStore === 'keychain') await deleteSetting(this.d.db, this.d.setting)
    else
      await putSetting(
        this.d.db,
        this.d.setting,
        this.d.db.seal.text(value, sealedAt.setting(this.d.setting)),
      )
  }
}
