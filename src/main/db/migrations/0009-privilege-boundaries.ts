import type { Migration } from './index'

/**
 * What the privilege rules need the database to remember rather than a session:
 * - who created each user and when they were last invited and activated (the two-person rule ignores
 *   approvers younger than 7 days, and an approver created by the other one);
 * - the role an admin or owner held before a demotion (for 7 days the two-person rule still applies);
 * - "must enroll" after an authenticator was revoked (SMS login, access code, admin reset);
 * - a permanent lock as its own fact (a success never lifts it), the attempt whose reservation set a
 *   lock (only its own success lifts that lock), and failures per email string for
 *   addresses with no account, so unknown emails are throttled exactly like real ones;
 * - whether a recovery request was filed by the person (lost device) or by an admin (2FA reset);
 * - indexes for the SMS caps per number and overall.
 * It fills the new columns from the audit trail, and blanks the codes kept in the text of SMS messages
 * that have already left (the outbox keeps what the console shows).
 */
export const migration0009: Migration = {
  version: 9,
  name: 'privilege-boundaries',
  up(db) {
    db.exec(`
      ALTER TABLE users ADD COLUMN created_by INTEGER REFERENCES users (id) ON DELETE SET NULL;
      ALTER TABLE users ADD COLUMN invited_at INTEGER;
      ALTER TABLE users ADD COLUMN activated_at INTEGER;
      ALTER TABLE users ADD COLUMN must_enroll INTEGER NOT NULL DEFAULT 0 CHECK (must_enroll IN (0, 1));
      ALTER TABLE users ADD COLUMN former_role TEXT CHECK (former_role IN ('admin', 'owner'));
      ALTER TABLE users ADD COLUMN demoted_at INTEGER;

      UPDATE users SET created_by = (
        SELECT e.actor_id FROM audit_events e
        WHERE e.type = 'user.created' AND e.subject_id = users.id
          AND e.actor_id IN (SELECT id FROM users)
        ORDER BY e.seq LIMIT 1);
      UPDATE users SET invited_at = (
        SELECT max(e.at) FROM audit_events e
        WHERE e.type IN ('user.created', 'user.invitation_resent') AND e.subject_id = users.id);
      UPDATE users SET activated_at = (
        SELECT max(e.at) FROM audit_events e WHERE e.type = 'user.activated' AND e.subject_id = users.id);

      ALTER TABLE login_throttle ADD COLUMN permanent INTEGER NOT NULL DEFAULT 0 CHECK (permanent IN (0, 1));
      -- The attempt (its failure count) whose reservation set the lock: only that attempt's success lifts it.
      ALTER TABLE login_throttle ADD COLUMN lock_failure INTEGER;
      UPDATE login_throttle SET permanent = 1 WHERE consecutive_failures >= 100;

      -- Password failures for email addresses with no account (or not yet activated): the same limits.
      CREATE TABLE email_throttle (
        email                TEXT    NOT NULL PRIMARY KEY COLLATE NOCASE,
        consecutive_failures INTEGER NOT NULL DEFAULT 0,
        last_failure_at      INTEGER,
        locked_until         INTEGER,
        permanent            INTEGER NOT NULL DEFAULT 0 CHECK (permanent IN (0, 1)),
        lock_failure         INTEGER
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX email_throttle_by_time ON email_throttle (last_failure_at);

      ALTER TABLE recovery_requests ADD COLUMN kind TEXT NOT NULL DEFAULT 'lost_device'
        CHECK (kind IN ('lost_device', 'admin_reset'));
      ALTER TABLE recovery_requests ADD COLUMN filed_by INTEGER REFERENCES users (id) ON DELETE SET NULL;

      CREATE INDEX sms_outbox_by_number ON sms_outbox (to_e164, created_at);
      CREATE INDEX sms_outbox_by_time ON sms_outbox (created_at);
      UPDATE sms_outbox SET body = display_text WHERE status IN ('sent', 'delivered', 'failed');
    `)
  },
}
