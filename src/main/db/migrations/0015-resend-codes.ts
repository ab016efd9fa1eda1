import type { Migration } from './index'

/**
 * Re-sent invitations are held like imported ones: a bulk "Re-send invitations" is a run in
 * `import_runs` (its id is the bulk job's) and each new code waits in `import_codes` until it is saved.
 * `kind` tells the two apart, so the console can say which it offers again; `file_sha256` is empty for a
 * re-send (no file).
 */
export const migration0015: Migration = {
  version: 15,
  name: 'resend-codes',
  up(db) {
    db.exec(`
      ALTER TABLE import_runs ADD COLUMN kind TEXT NOT NULL DEFAULT 'import' CHECK (kind IN ('import', 'resend'));
    `)
  },
}
