import type { Migration } from './index'

/**
 * What a support agent reads about the person behind a recovery request, each fact by an index:
 * - `audit_events_subject_type`: a person's events of one type in a time range (sign-ins, failures,
 *   lockouts); the subject index alone would walk every event about them.
 * - `recovery_requests_by_user`: a person's requests, newest first (only live ones were indexed by user).
 */
export const migration0013: Migration = {
  version: 13,
  name: 'agent-facts',
  up(db) {
    db.exec(`
      CREATE INDEX audit_events_subject_type ON audit_events (subject_id, type, at)
        WHERE subject_id IS NOT NULL;
      CREATE INDEX recovery_requests_by_user ON recovery_requests (user_id, id);
    `)
  },
}
