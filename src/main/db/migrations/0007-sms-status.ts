import type { Migration } from './index'

/**
 * Twilio's delivery status, looked up after sending (a desktop app has no public URL for Twilio's
 * status callbacks): the worker asks about messages still `sent`, least recently looked at first.
 */
export const migration0007: Migration = {
  version: 7,
  name: 'sms-status',
  up(db) {
    db.exec(`
      CREATE INDEX sms_outbox_awaiting_status ON sms_outbox (updated_at)
        WHERE status = 'sent' AND provider = 'twilio';
    `)
  },
}
