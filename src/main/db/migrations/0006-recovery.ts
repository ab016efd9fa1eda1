import type { Migration } from './index'

/**
 * Support recovery of a lost device.
 * - `recovery_requests`: one per "Ask support for help"; at most one live (open, verifying, approved)
 *   request per user (partial unique index). `expires_at` is when an unanswered request expires.
 * - `recovery_checks`: which identity checks an agent recorded (one row per check and request).
 * - `recovery_notes`: the agents' notes, in order.
 * - `recovery_approvals`: one row per approving agent (admin and owner accounts need two).
 * - `access_codes`: temporary access codes, SHA-256 only (130 bits: a fast hash is enough); one use,
 *   24 hours; issuing a new one revokes the previous.
 */
export const migration0006: Migration = {
  version: 6,
  name: 'recovery',
  up(db) {
    db.exec(`
      CREATE TABLE recovery_requests (
        id            INTEGER PRIMARY KEY,
        user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        status        TEXT    NOT NULL DEFAULT 'open'
                      CHECK (status IN ('open', 'verifying', 'approved', 'denied', 'completed', 'expired')),
        message       TEXT    NOT NULL,
        contact       TEXT    NOT NULL,
        created_at    INTEGER NOT NULL,
        updated_at    INTEGER NOT NULL,
        expires_at    INTEGER NOT NULL,
        approved_at   INTEGER,
        effective_at  INTEGER,
        decided_by    INTEGER REFERENCES users (id) ON DELETE SET NULL,
        denied_reason TEXT,
        completed_at  INTEGER
      ) STRICT;
      CREATE UNIQUE INDEX recovery_one_live_per_user ON recovery_requests (user_id)
        WHERE status IN ('open', 'verifying', 'approved');
      CREATE INDEX recovery_by_status ON recovery_requests (status, id);
      CREATE INDEX recovery_live_by_expiry ON recovery_requests (expires_at)
        WHERE status IN ('open', 'verifying', 'approved');
      CREATE TABLE recovery_checks (
        request_id INTEGER NOT NULL REFERENCES recovery_requests (id) ON DELETE CASCADE,
        check_key  TEXT    NOT NULL,
        agent_id   INTEGER REFERENCES users (id) ON DELETE SET NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (request_id, check_key)
      ) STRICT;
      CREATE TABLE recovery_notes (
        id         INTEGER PRIMARY KEY,
        request_id INTEGER NOT NULL REFERENCES recovery_requests (id) ON DELETE CASCADE,
        agent_id   INTEGER REFERENCES users (id) ON DELETE SET NULL,
        body       TEXT    NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX recovery_notes_by_request ON recovery_notes (request_id, id);
      CREATE TABLE recovery_approvals (
        request_id INTEGER NOT NULL REFERENCES recovery_requests (id) ON DELETE CASCADE,
        agent_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (request_id, agent_id)
      ) STRICT;
      CREATE TABLE access_codes (
        id         INTEGER PRIMARY KEY,
        request_id INTEGER NOT NULL REFERENCES recovery_requests (id) ON DELETE CASCADE,
        user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        code_hash  TEXT    NOT NULL UNIQUE,
        delivery   TEXT    NOT NULL CHECK (delivery IN ('sms', 'agent')),
        issued_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        used_at    INTEGER,
        revoked_at INTEGER
      ) STRICT;
      CREATE INDEX access_codes_by_request ON access_codes (request_id, id);
      CREATE INDEX access_codes_by_user ON access_codes (user_id, id);
    `)
  },
}
