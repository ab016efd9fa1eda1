import { AppError } from '../../shared/result'
import type { Keychain } from '../adapters/keychain'
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
 */
export class ProviderSecret {
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
    try {
      if (this.d.keyStore === 'keychain') return await this.d.keychain.get(this.d.account)
      const stored = await getSetting(this.d.db, this.d.setting)
      return stored === undefined ? null : this.d.db.seal.openText(stored, sealedAt.setting(this.d.setting))
    } catch {
      return null
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
    } catch (e) {
      throw new AppError(
        'CONFLICT',
        `The ${this.d.what} cannot be stored: ${(e as Error).message}. Nothing was changed.`,
      )
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
