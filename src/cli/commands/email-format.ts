import type { Services } from '../../main/core/services'
import type { EmailOutboxEntryDto } from '../../shared/dto'

/** How the email commands, and the commands that email a code, speak of outbox messages. */

/** For --help: where certificates to trust for the SMTP server come from. */
export const SMTP_CA_ENV =
  "TESSERA_SMTP_CA_FILE   a PEM file of certificates to trust for the SMTP server, besides the system's"

export const time = (t: number | null): string => (t === null ? '-' : new Date(t).toISOString())

/** Why a message has not left (yet), for people: failed for good, or queued for a retry. */
export function notSentLine(what: string, entry: EmailOutboxEntryDto): string {
  return entry.status === 'failed'
    ? `${what} to ${entry.to} was not sent: ${entry.lastError ?? 'refused'}.`
    : `${what} to ${entry.to} is not sent yet (${entry.lastError ?? 'waiting'}); it stays queued and is retried${entry.nextAttemptAt ? ` from ${time(entry.nextAttemptAt)}` : ''} (tessera email outbox --deliver).`
}

/**
 * The newest outbox message of `kind` to `to`: how the email a command just queued (and tried at once)
 * went, so the command can say so. Undefined when there is none among the newest.
 */
export async function lastEmailTo(
  s: Services,
  to: string,
  kind: string,
): Promise<EmailOutboxEntryDto | undefined> {
  const { messages } = await s.email.listOutbox({ limit: 20 })
  return messages.find((m) => m.kind === kind && m.to.toLowerCase() === to.toLowerCase())
}

/** A warning when an email that carries a code has not left, with what to do; null when it went. */
export function emailWarning(
  what: string,
  entry: EmailOutboxEntryDto | undefined,
  retry: string,
): string | null {
  if (!entry || entry.status === 'sent') return null
  return entry.status === 'failed'
    ? `Warning: ${notSentLine(what, entry)} It will not reach them: fix the email settings (tessera email test), then ${retry}.`
    : `Warning: ${notSentLine(what, entry)}`
}
