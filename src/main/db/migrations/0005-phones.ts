import type { Migration } from './index'

/**
 * The emergency phone and SMS codes.
 * - `phones`: a user's verified emergency phone (one per user).
 * - `sms_codes`: every SMS code sent (login or phone verification), stored as a salted SHA-256 hash, never
 *   in clear. A code works once (`used_at`), until `expires_at`, for at most 3 tries. The hourly limit
 *   counts a user's rows created in the last hour (index `sms_codes_by_user`).
 * - `phone_pending`: a number entered but not yet verified; its code is the `sms_codes` row `code_id`
 *   (hash, tries and expiry are kept there only, so both kinds of code share one set of rules).
 */
export const migration0005: Migration = {
  version: 5,
  name: 'phones',
  up(db) {
    db.exec(`
      CREATE TABLE phones (
        user_id     INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        e164        TEXT    NOT NULL CHECK (e164 GLOB '+[1-9]*'),
        verified_at INTEGER NOT NULL,
        created_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE sms_codes (
        id         INTEGER PRIMARY KEY,
        user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        purpose    TEXT    NOT NULL CHECK (purpose IN ('login', 'phone_verify')),
        code_hash  TEXT    NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        tries      INTEGER NOT NULL DEFAULT 0 CHECK (tries BETWEEN 0 AND 3),
        used_at    INTEGER
      ) STRICT;
      CREATE INDEX sms_codes_by_user ON sms_codes (user_id, created_at);
      CREATE TABLE phone_pending (
        user_id    INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        e164       TEXT    NOT NULL CHECK (e164 GLOB '+[1-9]*'),
        code_id    INTEGER NOT NULL REFERENCES sms_codes (id) ON DELETE CASCADE,
        expires_at INTEGER NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;
    `)
  },
}
