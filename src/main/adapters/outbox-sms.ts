import type { SendOutcome, SmsSender } from '../core/sms'

/**
 * The local outbox: the default until Twilio is configured. The message is already stored in the outbox
 * table, where Settings → SMS outbox shows it, so "sending" only marks it sent locally. No network at all.
 */
export function createOutboxSender(): SmsSender {
  return {
    provider: 'outbox',
    send: async (): Promise<SendOutcome> => ({ kind: 'accepted', sid: null, status: 'stored' }),
  }
}
