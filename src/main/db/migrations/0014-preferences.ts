import type { Migration } from './index'

/**
 * A person's own choices for the console, kept with their account so they follow them from machine to
 * machine (and to the messages Tessera sends them):
 * - `language`: the console's and their SMS and email texts' language; NULL follows the OS on the
 *   console and the account's default in messages.
 * - `theme`: light, dark, or the OS's setting.
 */
export const migration0014: Migration = {
  version: 14,
  name: 'preferences',
  up(db) {
    db.exec(`
      ALTER TABLE users ADD COLUMN language TEXT CHECK (language IN ('en', 'es'));
      ALTER TABLE users ADD COLUMN theme TEXT NOT NULL DEFAULT 'system' CHECK (theme IN ('system', 'light', 'dark'));
    `)
  },
}
