import type { Migration } from './index'

/**
 * The durable SMS outbox: a message is written here (in the transaction that decides to send it) before
 * any network call, and a worker delivers it. `body` holds the text as sent, codes included — the file is
 * encrypted — while `display_text` is what the console lists, with any code replaced by ••••••.
 * While a message is `sending`, `next_attempt_at` is its lease: past it, a crashed worker's claim lapses.
 */
export const migration0004: Migration = {
  version: 4,
  name: 'sms',
  up(db) {
    db.exec(`
      CREATE TABLE sms_outbox (
        id              INTEGER PRIMARY KEY,
        to_e164         TEXT    NOT NULL CHECK (to_e164 GLOB '+[1-9]*'),
        body            TEXT    NOT NULL,
        display_text    TEXT    NOT NULL,
        kind            TEXT    NOT NULL,
        user_id         INTEGER REFERENCES users (id) ON DELETE SET NULL,
        status          TEXT    NOT NULL DEFAULT 'queued'
                        CHECK (status IN ('queued', 'sending', 'sent', 'delivered', 'failed')),
        attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        next_attempt_at INTEGER,
        last_error      TEXT,
        provider        TEXT    CHECK (provider IN ('outbox', 'twilio')),
        provider_sid    TEXT    UNIQUE,
        provider_status TEXT,
        created_at      INTEGER NOT NULL,
        updated_at      INTEGER NOT NULL,
        sent_at         INTEGER,
        -- A message Twilio accepted is never sent again: once it has a SID it is sent or delivered.
        CHECK (provider_sid IS NULL OR status IN ('sent', 'delivered'))
      ) STRICT;
      -- The worker's lookup: waiting messages and lapsed leases, oldest due first.
      CREATE INDEX sms_outbox_due ON sms_outbox (status, next_attempt_at)
        WHERE status IN ('queued', 'sending');
      CREATE INDEX sms_outbox_by_user ON sms_outbox (user_id, created_at) WHERE user_id IS NOT NULL;
    `)
  },
}
