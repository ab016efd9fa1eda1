import type { Migration } from './index'

/**
 * Every index on the audit trail costs each append a page of its own to write (and, in the file, to
 * encrypt and sign) in the transaction of the action it records, a login step's included.
 * `audit_events_by_type` (type, at) is read by no query any more: it served a weekly chart that the
 * dashboard's counters now keep, and the Audit log's kind filter reads the trail newest first by seq.
 * The two per-person indexes stay: a person's recent events (the user page, by subject and seq) and their
 * events of one type in a time range (the agent facts).
 */
export const migration0016: Migration = {
  version: 16,
  name: 'audit-type-index',
  up(db) {
    db.exec('DROP INDEX IF EXISTS audit_events_by_type')
  },
}
