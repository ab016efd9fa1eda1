import type twilio from 'twilio'
import type Response from 'twilio/lib/http/response'
import type RequestClient from 'twilio/lib/base/RequestClient'
import {
  TWILIO_API_BASE_URL,
  type OutgoingSms,
  type ProviderStatus,
  type SendOutcome,
  type SmsSender,
  type TwilioCredentials,
} from '../core/sms'

type TwilioLibrary = typeof twilio

/**
 * The twilio library takes longer to load than anything else Tessera uses (about 150 ms), so it is loaded
 * when a sender first talks to Twilio, not by every command that opens the database.
 */
let library: Promise<TwilioLibrary> | undefined
const loadTwilio = (): Promise<TwilioLibrary> => (library ??= import('twilio').then((m) => m.default))

/**
 * Twilio's own HTTP client with its host swapped: every request the library builds for
 * https://api.twilio.com goes to the configured base URL instead (a proxy, or a local fake in tests).
 */
function baseUrlRequestClient(lib: TwilioLibrary, baseUrl: string, timeoutMs: number): twilio.RequestClient {
  const base = baseUrl.replace(/\/+$/, '')
  class BaseUrlRequestClient extends lib.RequestClient {
    constructor() {
      super({ timeout: timeoutMs, autoRetry: false })
      // Node's own http(s) stack, always: main is Node (under Electron too), and an XMLHttpRequest that a
      // test environment or a future runtime offers would add CORS and a browser's cookie jar to the path.
      ;(this as unknown as { axios: { defaults: { adapter: string } } }).axios.defaults.adapter = 'http'
    }

    override request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<Response<TData>> {
      const uri = opts.uri.startsWith(TWILIO_API_BASE_URL)
        ? base + opts.uri.slice(TWILIO_API_BASE_URL.length)
        : opts.uri
      return super.request({ ...opts, uri })
    }
  }
  return new BaseUrlRequestClient()
}

/** Why Twilio could not deliver a message it accepted (its 30xxx error codes), in plain words. */
const DELIVERY_ERRORS: Record<number, string> = {
  30003: 'the phone is switched off or out of coverage',
  30004: 'the recipient blocked the message',
  30005: 'the number does not exist or is no longer in service',
  30006: 'the number is a landline or its carrier cannot receive SMS',
  30007: 'the carrier filtered the message',
  30008: 'the carrier reported an unknown error',
}

/** The reason shown for an accepted message that did not reach the phone. */
export function undeliveredReason(status: string, errorCode: number | null): string {
  const why = errorCode !== null ? DELIVERY_ERRORS[errorCode] : undefined
  const code = errorCode !== null ? ` (Twilio error ${errorCode})` : ''
  return `Not delivered: ${why ?? `Twilio reports the message ${status}`}${code}. It is not sent again; ask for a new code.`
}

/** Reasons people can act on, for the refusals an admin is likely to meet. */
const KNOWN_ERRORS: Record<number, string> = {
  21211: 'The phone number is not valid',
  21214: 'The phone number cannot be reached by SMS',
  21408: 'Sending SMS to this region is not enabled on the Twilio account',
  21606: 'The From number cannot send SMS',
  21610: 'The recipient has opted out of messages from this sender (replied STOP)',
  21612: 'Twilio cannot route a message to this number',
  21614: 'The phone number is not a mobile number',
  20003: 'Twilio refused the Account SID or auth token',
  20404: 'Twilio does not know this account, From number or Messaging Service',
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ERR_NETWORK',
])

/**
 * Turns whatever the twilio client threw into an outcome. Only the HTTP status, Twilio's numeric error
 * code and the network error code are used: Twilio's message text can quote the full phone number, and
 * an Axios error carries the request with its Authorization header, so neither is ever kept.
 */
export function classifyTwilioError(lib: TwilioLibrary, e: unknown, timeoutMs: number): SendOutcome {
  if (e instanceof lib.RestException) {
    const code = e.code ? `Twilio error ${e.code}` : `HTTP ${e.status}`
    if (e.status === 429) return { kind: 'retryable', reason: `Twilio is rate limiting requests (HTTP 429)` }
    if (e.status >= 500) return { kind: 'retryable', reason: `Twilio is unavailable (HTTP ${e.status})` }
    const known = e.code ? KNOWN_ERRORS[e.code] : undefined
    return {
      kind: 'permanent',
      reason: `${known ?? `Twilio refused the message (HTTP ${e.status})`} (${code})`,
    }
  }
  const err = e as { isAxiosError?: boolean; code?: string; message?: string }
  if (err?.code === 'ECONNABORTED' || err?.code === 'ETIMEDOUT') {
    const limit = timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`
    return { kind: 'retryable', reason: `Twilio did not answer within ${limit}` }
  }
  if (err?.code && NETWORK_CODES.has(err.code)) {
    return { kind: 'retryable', reason: `Twilio cannot be reached (${err.code})` }
  }
  if (err?.isAxiosError)
    return { kind: 'retryable', reason: `Twilio cannot be reached (${err.code ?? 'network error'})` }
  // Anything else (a malformed answer, a bug): try again later rather than lose the message.
  return { kind: 'retryable', reason: 'Unexpected error while sending through Twilio' }
}

export interface TwilioSenderOptions {
  /** How long one request may take before it counts as a timeout (retryable). Default 10 s. */
  timeoutMs?: number
}

/** The Twilio adapter: the real `twilio` client, Messages.create, and a classified outcome. */
export function createTwilioSender(creds: TwilioCredentials, options: TwilioSenderOptions = {}): SmsSender {
  const timeoutMs = options.timeoutMs ?? 10_000
  let client: twilio.Twilio | undefined
  const twilioClient = (lib: TwilioLibrary): twilio.Twilio =>
    (client ??= lib(creds.accountSid, creds.authToken, {
      httpClient: baseUrlRequestClient(lib, creds.apiBaseUrl, timeoutMs),
      autoRetry: false,
    }))
  return {
    provider: 'twilio',
    async status(sid: string): Promise<ProviderStatus | null> {
      try {
        const m = await twilioClient(await loadTwilio())
          .messages(sid)
          .fetch()
        return { status: m.status, errorCode: m.errorCode ?? null }
      } catch {
        return null
      }
    },
    async findAccepted(to: string, body: string): Promise<{ sid: string; status: string }[]> {
      const recent = await twilioClient(await loadTwilio()).messages.list({ to, limit: 20, pageSize: 20 })
      return recent.filter((m) => m.body === body).map((m) => ({ sid: m.sid, status: m.status }))
    },
    async send(message: OutgoingSms): Promise<SendOutcome> {
      const lib = await loadTwilio()
      try {
        const sent = await twilioClient(lib).messages.create({
          to: message.to,
          body: message.body,
          ...(creds.messagingServiceSid
            ? { messagingServiceSid: creds.messagingServiceSid }
            : { from: creds.from ?? '' }),
        })
        return { kind: 'accepted', sid: sent.sid, status: sent.status }
      } catch (e) {
        return classifyTwilioError(lib, e, timeoutMs)
      }
    },
  }
}
