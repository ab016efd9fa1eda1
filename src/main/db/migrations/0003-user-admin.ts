import type { Migration } from './index'

/**
 * The admin console's Users page must stay instant at 100,000 users, so each user row carries what its
 * filters need — kept in step with the 2FA tables by triggers, in the same transaction as every change —
 * and the filters are indexed together with each sort key for keyset pagination.
 */
export const migration0003: Migration = {
  version: 3,
  name: 'user-admin',
  up(db) {
    db.exec(`
      ALTER TABLE users ADD COLUMN require_2fa_since INTEGER;
      ALTER TABLE users ADD COLUMN totp_enrolled_at INTEGER;
      ALTER TABLE users ADD COLUMN backup_codes_left INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE users ADD COLUMN twofa_state TEXT GENERATED ALWAYS AS (
        CASE WHEN totp_enrolled_at IS NOT NULL THEN 'enrolled' WHEN require_2fa = 1 THEN 'required' ELSE 'off' END
      ) VIRTUAL;
      ALTER TABLE users ADD COLUMN at_risk INTEGER GENERATED ALWAYS AS (
        totp_enrolled_at IS NOT NULL AND backup_codes_left <= 1
      ) VIRTUAL;

      UPDATE users SET
        totp_enrolled_at = (SELECT enrolled_at FROM totp_credentials t WHERE t.user_id = users.id),
        backup_codes_left = (SELECT count(*) FROM backup_codes b WHERE b.user_id = users.id AND b.used_at IS NULL),
        require_2fa_since = CASE WHEN require_2fa = 1 THEN created_at END;

      CREATE TRIGGER totp_credentials_added AFTER INSERT ON totp_credentials
      BEGIN UPDATE users SET totp_enrolled_at = NEW.enrolled_at WHERE id = NEW.user_id; END;
      CREATE TRIGGER totp_credentials_removed AFTER DELETE ON totp_credentials
      BEGIN UPDATE users SET totp_enrolled_at = NULL WHERE id = OLD.user_id; END;
      CREATE TRIGGER backup_codes_added AFTER INSERT ON backup_codes WHEN NEW.used_at IS NULL
      BEGIN UPDATE users SET backup_codes_left = backup_codes_left + 1 WHERE id = NEW.user_id; END;
      CREATE TRIGGER backup_codes_removed AFTER DELETE ON backup_codes WHEN OLD.used_at IS NULL
      BEGIN UPDATE users SET backup_codes_left = backup_codes_left - 1 WHERE id = OLD.user_id; END;
      CREATE TRIGGER backup_codes_spent AFTER UPDATE OF used_at ON backup_codes
        WHEN OLD.used_at IS NULL AND NEW.used_at IS NOT NULL
      BEGIN UPDATE users SET backup_codes_left = backup_codes_left - 1 WHERE id = NEW.user_id; END;

      -- One open invitation per user; only its SHA-256 is kept.
      CREATE TABLE invitations (
        user_id    INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        code_hash  TEXT    NOT NULL UNIQUE,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        created_by INTEGER
      ) STRICT;

      -- The dashboard's figures, kept by triggers in the same transaction as every change, so reading
      -- them costs the same at 100 users and at 100,000.
      CREATE TABLE user_stats (
        id                INTEGER PRIMARY KEY CHECK (id = 1),
        users             INTEGER NOT NULL,
        enrolled          INTEGER NOT NULL,
        required          INTEGER NOT NULL,
        required_enrolled INTEGER NOT NULL,
        at_risk           INTEGER NOT NULL,
        invited           INTEGER NOT NULL
      ) STRICT;
      INSERT INTO user_stats
      SELECT 1, count(*),
        coalesce(sum(twofa_state = 'enrolled'), 0),
        coalesce(sum(twofa_state = 'required'), 0),
        coalesce(sum(twofa_state = 'enrolled' AND require_2fa = 1), 0),
        coalesce(sum(at_risk), 0),
        coalesce(sum(status = 'invited'), 0)
      FROM users;
      CREATE TRIGGER user_stats_added AFTER INSERT ON users
      BEGIN
        UPDATE user_stats SET users = users + 1,
          enrolled = enrolled + (NEW.twofa_state = 'enrolled'),
          required = required + (NEW.twofa_state = 'required'),
          required_enrolled = required_enrolled + (NEW.twofa_state = 'enrolled' AND NEW.require_2fa = 1),
          at_risk = at_risk + NEW.at_risk,
          invited = invited + (NEW.status = 'invited');
      END;
      CREATE TRIGGER user_stats_removed AFTER DELETE ON users
      BEGIN
        UPDATE user_stats SET users = users - 1,
          enrolled = enrolled - (OLD.twofa_state = 'enrolled'),
          required = required - (OLD.twofa_state = 'required'),
          required_enrolled = required_enrolled - (OLD.twofa_state = 'enrolled' AND OLD.require_2fa = 1),
          at_risk = at_risk - OLD.at_risk,
          invited = invited - (OLD.status = 'invited');
      END;
      CREATE TRIGGER user_stats_changed AFTER UPDATE OF require_2fa, totp_enrolled_at, backup_codes_left, status ON users
      BEGIN
        UPDATE user_stats SET
          enrolled = enrolled - (OLD.twofa_state = 'enrolled') + (NEW.twofa_state = 'enrolled'),
          required = required - (OLD.twofa_state = 'required') + (NEW.twofa_state = 'required'),
          required_enrolled = required_enrolled - (OLD.twofa_state = 'enrolled' AND OLD.require_2fa = 1)
                                                + (NEW.twofa_state = 'enrolled' AND NEW.require_2fa = 1),
          at_risk = at_risk - OLD.at_risk + NEW.at_risk,
          invited = invited - (OLD.status = 'invited') + (NEW.status = 'invited');
      END;

      -- Backup codes used per week (weeks start on Monday 00:00 UTC), for the dashboard's chart; the count
      -- outlives the codes themselves (a new set replaces the old rows).
      CREATE TABLE backup_code_use_weekly (
        week_start INTEGER PRIMARY KEY,
        uses       INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
      INSERT INTO backup_code_use_weekly
      SELECT ((used_at - 345600000) / 604800000) * 604800000 + 345600000, count(*)
      FROM backup_codes WHERE used_at IS NOT NULL GROUP BY 1;
      CREATE TRIGGER backup_code_use_counted AFTER UPDATE OF used_at ON backup_codes
        WHEN OLD.used_at IS NULL AND NEW.used_at IS NOT NULL
      BEGIN
        INSERT OR IGNORE INTO backup_code_use_weekly
          VALUES (((NEW.used_at - 345600000) / 604800000) * 604800000 + 345600000, 0);
        UPDATE backup_code_use_weekly SET uses = uses + 1
          WHERE week_start = ((NEW.used_at - 345600000) / 604800000) * 604800000 + 345600000;
      END;
      CREATE TRIGGER backup_code_use_inserted AFTER INSERT ON backup_codes WHEN NEW.used_at IS NOT NULL
      BEGIN
        INSERT OR IGNORE INTO backup_code_use_weekly
          VALUES (((NEW.used_at - 345600000) / 604800000) * 604800000 + 345600000, 0);
        UPDATE backup_code_use_weekly SET uses = uses + 1
          WHERE week_start = ((NEW.used_at - 345600000) / 604800000) * 604800000 + 345600000;
      END;

      -- Search: each prefix range covers the other sort keys, so a broad prefix costs index entries only.
      CREATE INDEX users_email_cover ON users (email, name COLLATE NOCASE, ifnull(last_login_at, 0));
      CREATE INDEX users_name_cover ON users (name COLLATE NOCASE, email, ifnull(last_login_at, 0));
      CREATE INDEX users_by_name ON users (name COLLATE NOCASE, id);
      CREATE INDEX users_by_last_login ON users (ifnull(last_login_at, 0), id);
      CREATE INDEX users_state_by_name ON users (twofa_state, name COLLATE NOCASE, id);
      CREATE INDEX users_state_by_email ON users (twofa_state, email, id);
      CREATE INDEX users_state_by_last_login ON users (twofa_state, ifnull(last_login_at, 0), id);
      CREATE INDEX users_risk_by_name ON users (name COLLATE NOCASE, id) WHERE at_risk;
      CREATE INDEX users_risk_by_email ON users (email, id) WHERE at_risk;
      CREATE INDEX users_risk_by_last_login ON users (ifnull(last_login_at, 0), id) WHERE at_risk;
      CREATE INDEX users_role_by_name ON users (role, name COLLATE NOCASE, id);
      CREATE INDEX users_role_by_email ON users (role, email, id);
      CREATE INDEX users_role_by_last_login ON users (role, ifnull(last_login_at, 0), id);
      CREATE INDEX users_status_by_name ON users (status, name COLLATE NOCASE, id);
      CREATE INDEX users_status_by_email ON users (status, email, id);
      CREATE INDEX users_status_by_last_login ON users (status, ifnull(last_login_at, 0), id);
      CREATE INDEX login_throttle_locked ON login_throttle (locked_until) WHERE locked_until IS NOT NULL;
      CREATE INDEX backup_codes_used_at ON backup_codes (used_at) WHERE used_at IS NOT NULL;
      CREATE INDEX audit_events_by_type ON audit_events (type, at);
      CREATE INDEX users_required_state ON users (require_2fa, twofa_state);
    `)
  },
}
