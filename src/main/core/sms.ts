import type { SmsProvider } from '../db/queries/sms'

/** One message handed to a provider. */
export interface OutgoingSms {
  to: string
  body: string
}

/**
 * What a provider said about one attempt:
 * - accepted: it took the message (Twilio's SID and status; the local outbox has no SID)
 * - retryable: nothing was accepted and trying later may work (429, 5xx, timeout, network)
 * - permanent: it refused the message for good; `reason` is shown to the user as it is
 */
export type SendOutcome =
  | { kind: 'accepted'; sid: string | null; status: string }
  | { kind: 'retryable'; reason: string }
  | { kind: 'permanent'; reason: string }

/** What the provider knows now about a message it accepted (Twilio: queued, sent, delivered, undelivered…). */
export interface ProviderStatus {
  status: string
  /** Twilio's error code for an undelivered or failed message, else null. */
  errorCode: number | null
}

/** The port every SMS provider implements. `send` never throws: every failure is an outcome. */
export interface SmsSender {
  readonly provider: SmsProvider
  send(message: OutgoingSms): Promise<SendOutcome>
  /**
   * The delivery status of an accepted message, for providers that report it later (Twilio). Null when
   * it cannot be known now (network, rate limit): asked again later. Never throws.
   */
  status?(sid: string): Promise<ProviderStatus | null>
  /**
   * The provider's most recent accepted messages to `to` whose text is exactly `body`, newest first:
   * asked before a message whose send was interrupted (the app was killed while waiting for the answer)
   * goes out again, so a message the provider already took is recorded instead of sent twice. Throws
   * when the provider cannot be asked.
   */
  findAccepted?(to: string, body: string): Promise<{ sid: string; status: string }[]>
}

export const TWILIO_API_BASE_URL = 'https://api.twilio.com'

/** What is stored under the `sms` setting: the provider and Twilio's non-secret settings. */
export interface SmsSettings {
  provider: SmsProvider
  accountSid: string | null
  from: string | null
  messagingServiceSid: string | null
  apiBaseUrl: string
}

export const DEFAULT_SMS_SETTINGS: SmsSettings = {
  provider: 'outbox',
  accountSid: null,
  from: null,
  messagingServiceSid: null,
  apiBaseUrl: TWILIO_API_BASE_URL,
}

/** Twilio's settings with the auth token, as the Twilio adapter needs them. */
export interface TwilioCredentials {
  accountSid: string
  authToken: string
  from: string | null
  messagingServiceSid: string | null
  apiBaseUrl: string
}
