import type { Migration } from './index'

/**
 * What lets one set of queries run on the file and on a PostgreSQL server:
 * - the at-risk partial indexes say `WHERE at_risk = 1` (an integer is not a condition on PostgreSQL, and
 *   SQLite uses a partial index only for the very term the query writes);
 * - each SMS remembers a lookup key for its number (`to_key`), which the per-number caps count by: here
 *   the number itself (the whole file is encrypted), on a team database a keyed hash, since the number is
 *   stored sealed there. It replaces the unused index on the number.
 */
export const migration0010: Migration = {
  version: 10,
  name: 'engine-neutral',
  up(db) {
    db.exec(`
      DROP INDEX users_risk_by_name;
      DROP INDEX users_risk_by_email;
      DROP INDEX users_risk_by_last_login;
      CREATE INDEX users_risk_by_name ON users (name COLLATE NOCASE, id) WHERE at_risk = 1;
      CREATE INDEX users_risk_by_email ON users (email, id) WHERE at_risk = 1;
      CREATE INDEX users_risk_by_last_login ON users (ifnull(last_login_at, 0), id) WHERE at_risk = 1;

      ALTER TABLE sms_outbox ADD COLUMN to_key TEXT;
      UPDATE sms_outbox SET to_key = to_e164;
      DROP INDEX sms_outbox_by_number;
      CREATE INDEX sms_outbox_by_key ON sms_outbox (to_key, created_at);
    `)
  },
}
