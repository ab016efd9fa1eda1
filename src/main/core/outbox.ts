import type { SendOutcome } from './sms'

/**
 * What the SMS and email outboxes share: how a failed attempt is retried, and the worker step's loop.
 * Each outbox keeps its own table, claim and provider; a message is claimed (a lease) before it is sent
 * and its outcome recorded with its audit event in one transaction (see SmsService, EmailService).
 */

/** Attempts before a message that keeps failing in a retryable way is given up on. */
export const OUTBOX_MAX_ATTEMPTS = 8
const FIRST_RETRY_MS = 5_000
const MAX_RETRY_MS = 15 * 60_000

/** Wait before the next try after `attempts` failed ones: 5 s, 15 s, 45 s, … at most 15 minutes. */
export const retryDelayMs = (attempts: number): number =>
  Math.min(FIRST_RETRY_MS * 3 ** Math.max(0, attempts - 1), MAX_RETRY_MS)

/** A failed attempt: given up on (a permanent refusal, or the last attempt), or tried again later. */
export function afterFailure(
  outcome: Exclude<SendOutcome, { kind: 'accepted' }>,
  attempts: number,
  now: number,
): { givingUp: boolean; reason: string; retryAt: number | null } {
  const givingUp = outcome.kind === 'permanent' || attempts >= OUTBOX_MAX_ATTEMPTS
  return {
    givingUp,
    reason:
      outcome.kind === 'retryable' && givingUp
        ? `${outcome.reason}; gave up after ${attempts} attempts`
        : outcome.reason,
    retryAt: givingUp ? null : now + retryDelayMs(attempts),
  }
}

export interface DeliveryReport {
  sent: number
  retrying: number
  failed: number
}

/**
 * The worker step's loop: claims due messages one at a time (at most `max`) and attempts each with the
 * sender in force, made once per step. Overlapping steps in one process do not run twice: the second
 * returns at once.
 */
export class OutboxLoop<Row, Sender extends { readonly provider: string; close?(): void }> {
  private busy = false

  constructor(
    private readonly o: {
      claim: () => Promise<Row | undefined>
      sender: () => Promise<Sender>
      attempt: (row: Row, sender: Sender) => Promise<keyof DeliveryReport>
    },
  ) {}

  async run(max = 20): Promise<DeliveryReport> {
    const report: DeliveryReport = { sent: 0, retrying: 0, failed: 0 }
    if (this.busy) return report
    this.busy = true
    let sender: Sender | undefined
    try {
      for (let i = 0; i < max; i++) {
        const claimed = await this.o.claim()
        if (!claimed) break
        sender ??= await this.o.sender()
        report[await this.o.attempt(claimed, sender)]++
      }
      return report
    } finally {
      sender?.close?.()
      this.busy = false
    }
  }
}
