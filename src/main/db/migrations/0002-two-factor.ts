import type { Migration } from './index'

export const migration0002: Migration = {
  version: 2,
  name: 'two-factor',
  up(db) {
    db.exec(`
      ALTER TABLE users ADD COLUMN require_2fa INTEGER NOT NULL DEFAULT 0 CHECK (require_2fa IN (0, 1));

      -- A verified authenticator. last_step is the last accepted time step: codes at or before it are refused.
      CREATE TABLE totp_credentials (
        user_id     INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        secret      BLOB    NOT NULL,
        algorithm   TEXT    NOT NULL DEFAULT 'sha1' CHECK (algorithm IN ('sha1', 'sha256', 'sha512')),
        digits      INTEGER NOT NULL DEFAULT 6 CHECK (digits IN (6, 7, 8)),
        period      INTEGER NOT NULL DEFAULT 30 CHECK (period > 0),
        enrolled_at INTEGER NOT NULL,
        last_step   INTEGER
      ) STRICT;

      -- An enrollment waiting for its first code. It turns nothing on; it lets the CLI's two steps
      -- (enroll, confirm) meet, and expires after a few minutes.
      CREATE TABLE totp_pending (
        user_id    INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        secret     BLOB    NOT NULL,
        started_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE backup_codes (
        user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        slot         INTEGER NOT NULL CHECK (slot BETWEEN 1 AND 5),
        code_hash    TEXT    NOT NULL,
        created_at   INTEGER NOT NULL,
        used_at      INTEGER,
        used_machine TEXT,
        PRIMARY KEY (user_id, slot)
      ) STRICT, WITHOUT ROWID;
    `)
  },
}
