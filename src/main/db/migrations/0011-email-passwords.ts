import type { Migration } from './index'

/**
 * Email and passwords:
 * - `email_outbox`: the durable outbox for email, worked like the SMS one (a message is written in the
 *   transaction that decides to send it; a claim is a lease; a message with the server's id is never
 *   claimed again). `body_text` and `body_html` hold the message as sent, codes included, until it has
 *   left or failed for good; then `body_text` becomes `display_text` (the code replaced by ••••) and the
 *   HTML is dropped.
 * - `password_resets`: reset codes (≥ 128 bits, SHA-256 hashed, one use, 30 minutes), asked for by the
 *   person ("Forgot password?") or issued by an admin (sent by email, or shown once to them).
 * - `users.password_changed_at`: sessions signed in before it end, on every console and in the CLI.
 * - `recovery_requests.purpose`: what a request ends with — a new authenticator ('2fa'), a new password
 *   ('password': an admin's password reset under the two-person rule), or both (lost both).
 */
export const migration0011: Migration = {
  version: 11,
  name: 'email-passwords',
  up(db) {
    db.exec(`
      CREATE TABLE email_outbox (
        id              INTEGER PRIMARY KEY,
        to_address      TEXT    NOT NULL,
        subject         TEXT    NOT NULL,
        body_text       TEXT    NOT NULL,
        body_html       TEXT,
        display_text    TEXT    NOT NULL,
        kind            TEXT    NOT NULL,
        user_id         INTEGER REFERENCES users (id) ON DELETE SET NULL,
        status          TEXT    NOT NULL DEFAULT 'queued'
                        CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
        attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        next_attempt_at INTEGER,
        last_error      TEXT,
        provider        TEXT    CHECK (provider IN ('outbox', 'smtp')),
        provider_id     TEXT,
        created_at      INTEGER NOT NULL,
        updated_at      INTEGER NOT NULL,
        sent_at         INTEGER,
        CHECK (provider_id IS NULL OR status = 'sent')
      ) STRICT;
      CREATE INDEX email_outbox_due ON email_outbox (status, next_attempt_at)
        WHERE status IN ('queued', 'sending');
      CREATE INDEX email_outbox_by_user ON email_outbox (user_id, created_at) WHERE user_id IS NOT NULL;
      CREATE INDEX email_outbox_by_time ON email_outbox (created_at);

      CREATE TABLE password_resets (
        id         INTEGER PRIMARY KEY,
        user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        code_hash  TEXT    NOT NULL UNIQUE,
        via        TEXT    NOT NULL CHECK (via IN ('email', 'shown')),
        issued_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        used_at    INTEGER,
        revoked_at INTEGER
      ) STRICT;
      CREATE INDEX password_resets_by_user ON password_resets (user_id, created_at);

      ALTER TABLE users ADD COLUMN password_changed_at INTEGER;
      ALTER TABLE recovery_requests ADD COLUMN purpose TEXT NOT NULL DEFAULT '2fa'
        CHECK (purpose IN ('2fa', 'password', 'both'));
    `)
  },
}
