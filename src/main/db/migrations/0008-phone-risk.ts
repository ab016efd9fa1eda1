import type { Migration } from './index'

/**
 * "At risk": enrolled, and 0–1 backup codes left or no verified emergency phone.
 * Each user row carries `phone_verified`, kept by triggers on `phones` like the 2FA columns of 0003; the
 * generated `at_risk` column, its partial indexes and the dashboard counters' triggers are rebuilt on it
 * (SQLite cannot change a generated column in place), and the counter is recomputed.
 */
export const migration0008: Migration = {
  version: 8,
  name: 'phone-risk',
  up(db) {
    db.exec(`
      ALTER TABLE users ADD COLUMN phone_verified INTEGER NOT NULL DEFAULT 0;
      UPDATE users SET phone_verified = EXISTS (SELECT 1 FROM phones p WHERE p.user_id = users.id);
      CREATE TRIGGER phones_added AFTER INSERT ON phones
      BEGIN UPDATE users SET phone_verified = 1 WHERE id = NEW.user_id; END;
      CREATE TRIGGER phones_removed AFTER DELETE ON phones
      BEGIN UPDATE users SET phone_verified = 0 WHERE id = OLD.user_id; END;

      DROP TRIGGER user_stats_added;
      DROP TRIGGER user_stats_removed;
      DROP TRIGGER user_stats_changed;
      DROP INDEX users_risk_by_name;
      DROP INDEX users_risk_by_email;
      DROP INDEX users_risk_by_last_login;
      ALTER TABLE users DROP COLUMN at_risk;
      ALTER TABLE users ADD COLUMN at_risk INTEGER GENERATED ALWAYS AS (
        totp_enrolled_at IS NOT NULL AND (backup_codes_left <= 1 OR phone_verified = 0)
      ) VIRTUAL;
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
      CREATE TRIGGER user_stats_changed AFTER UPDATE OF require_2fa, totp_enrolled_at, backup_codes_left, phone_verified, status ON users
      BEGIN
        UPDATE user_stats SET
          enrolled = enrolled - (OLD.twofa_state = 'enrolled') + (NEW.twofa_state = 'enrolled'),
          required = required - (OLD.twofa_state = 'required') + (NEW.twofa_state = 'required'),
          required_enrolled = required_enrolled - (OLD.twofa_state = 'enrolled' AND OLD.require_2fa = 1)
                                                + (NEW.twofa_state = 'enrolled' AND NEW.require_2fa = 1),
          at_risk = at_risk - OLD.at_risk + NEW.at_risk,
          invited = invited - (OLD.status = 'invited') + (NEW.status = 'invited');
      END;

      CREATE INDEX users_risk_by_name ON users (name COLLATE NOCASE, id) WHERE at_risk;
      CREATE INDEX users_risk_by_email ON users (email, id) WHERE at_risk;
      CREATE INDEX users_risk_by_last_login ON users (ifnull(last_login_at, 0), id) WHERE at_risk;
      UPDATE user_stats SET at_risk = (SELECT coalesce(sum(at_risk), 0) FROM users);
    `)
  },
}
