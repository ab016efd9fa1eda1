import type { Migration } from './index'

export const migration0001: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE users (
        id            INTEGER PRIMARY KEY,
        email         TEXT    NOT NULL COLLATE NOCASE UNIQUE,
        name          TEXT    NOT NULL,
        role          TEXT    NOT NULL CHECK (role IN ('owner', 'admin', 'support', 'member')),
        status        TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('invited', 'active', 'disabled')),
        password_hash TEXT,
        created_at    INTEGER NOT NULL,
        updated_at    INTEGER NOT NULL,
        last_login_at INTEGER
      ) STRICT;

      -- Consecutive failures per user and factor (password and second factor count apart).
      CREATE TABLE login_throttle (
        user_id              INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        factor               TEXT    NOT NULL CHECK (factor IN ('password', 'second_factor')),
        consecutive_failures INTEGER NOT NULL DEFAULT 0,
        last_failure_at      INTEGER,
        locked_until         INTEGER,
        PRIMARY KEY (user_id, factor)
      ) STRICT, WITHOUT ROWID;

      -- Append-only, hash-chained. actor_id and subject_id carry no foreign key: history outlives users.
      CREATE TABLE audit_events (
        seq        INTEGER PRIMARY KEY,
        at         INTEGER NOT NULL,
        type       TEXT    NOT NULL,
        actor_id   INTEGER,
        subject_id INTEGER,
        data       TEXT    NOT NULL,
        prev_hash  TEXT    NOT NULL,
        hash       TEXT    NOT NULL
      ) STRICT;
      CREATE INDEX audit_events_subject ON audit_events (subject_id, seq) WHERE subject_id IS NOT NULL;

      CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
      BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
      CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
      BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;

      CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT, WITHOUT ROWID;
    `)
  },
}
