import type { Migration } from './index'

/**
 * Imports that survive a crash:
 * - `import_runs`: one row per `users import` (CLI or console) — who, which file (its SHA-256), how far
 *   it got, and when it finished. A run without `finished_at` was interrupted: the console offers it again.
 * - `import_codes`: the invitation code of each user an import created, written in the same transaction
 *   as the user, and kept only until the code has been delivered (appended to the CLI's output and
 *   fsync'd, or downloaded from the console); then the row is deleted. On a team database the code
 *   arrives sealed. A user's row goes with the user.
 */
export const migration0012: Migration = {
  version: 12,
  name: 'import-runs',
  up(db) {
    db.exec(`
      CREATE TABLE import_runs (
        id          TEXT    PRIMARY KEY,
        actor_id    INTEGER REFERENCES users (id) ON DELETE SET NULL,
        file_sha256 TEXT    NOT NULL,
        total       INTEGER NOT NULL CHECK (total >= 0),
        imported    INTEGER NOT NULL DEFAULT 0 CHECK (imported >= 0),
        already     INTEGER NOT NULL DEFAULT 0 CHECK (already >= 0),
        started_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL,
        finished_at INTEGER
      ) STRICT;
      CREATE INDEX import_runs_unfinished ON import_runs (actor_id, started_at) WHERE finished_at IS NULL;

      CREATE TABLE import_codes (
        user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        run_id  TEXT    NOT NULL REFERENCES import_runs (id) ON DELETE CASCADE,
        code    TEXT    NOT NULL
      ) STRICT;
      CREATE INDEX import_codes_by_run ON import_codes (run_id, user_id);
    `)
  },
}
