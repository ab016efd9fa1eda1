import { isLoopbackHostName, type EmailTlsModeName } from '../../shared/contract/email'
import type { SendOutcome } from './sms'

export type { SendOutcome }

/** How the SMTP connection is protected. */
export type EmailTlsMode = EmailTlsModeName

export type EmailProvider = 'outbox' | 'smtp'

/** One message handed to a provider: plain text and simple HTML of the same words. */
export interface OutgoingEmail {
  to: string
  subject: string
  text: string
  html: string
  /** The Message-ID header: one per outbox message, so a resend is recognisably the same message. */
  messageId?: string
}

/**
 * The port every email provider implements. `send` never throws: every failure is an outcome —
 * accepted (the server's message id), retryable (4xx answers, timeouts, connection errors) or permanent
 * (5xx answers, wrong credentials, TLS refused: `reason` quotes the server's reply and is shown as is).
 */
export interface EmailSender {
  readonly provider: EmailProvider
  send(message: OutgoingEmail): Promise<SendOutcome>
  /** Closes pooled connections, if any. */
  close?(): void
}

/** What is stored under the `email` setting: the provider and the SMTP server's non-secret settings. */
export interface EmailSettings {
  provider: EmailProvider
  host: string | null
  port: number | null
  tls: EmailTlsMode
  user: string | null
  from: string | null
  /** The name messages speak for ("Acme IT"); Tessera when unset. */
  accountName?: string | null
}

export const DEFAULT_EMAIL_SETTINGS: EmailSettings = {
  provider: 'outbox',
  host: null,
  port: null,
  tls: 'starttls',
  user: null,
  from: null,
}

/** The SMTP server's settings with the password, as the SMTP adapter needs them. */
export interface SmtpCredentials {
  host: string
  port: number
  tls: EmailTlsMode
  user: string | null
  password: string | null
  from: string
}

/** Whether a host name is this machine: plain SMTP (no TLS) is allowed only there. */
export const isLoopbackHost = isLoopbackHostName
