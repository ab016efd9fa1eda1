import { z } from 'zod'
import { emptyInputSchema } from './common'
import { method, type AreaMethods } from './method'

/** https, or plain http to this machine only (a local proxy or a test server): SMS carry codes and the token. */
export function isHttpsOrLoopback(url: string): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  if (parsed.protocol === 'https:') return true
  if (parsed.protocol !== 'http:') return false
  const host = parsed.hostname
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
}

export const smsProviders = ['outbox', 'twilio'] as const
export type SmsProviderName = (typeof smsProviders)[number]
export const smsStatuses = ['queued', 'sending', 'sent', 'delivered', 'failed'] as const
export type SmsStatusName = (typeof smsStatuses)[number]

/**
 * Where a message stands for the person it concerns: `kept-locally` when the provider was the local
 * outbox (nothing left this machine, whatever its status says), `queued` while it waits to go out,
 * `sent` once the provider took it, `delivered` once the provider says it arrived, `not-delivered`
 * when it failed for good.
 */
export type SmsDelivery = 'kept-locally' | 'queued' | 'sent' | 'delivered' | 'not-delivered'

export function smsDeliveryOf(m: { status: SmsStatusName; provider: SmsProviderName | null }): SmsDelivery {
  if (m.status === 'failed') return 'not-delivered'
  if (m.provider === 'outbox') return 'kept-locally'
  if (m.status === 'queued' || m.status === 'sending') return 'queued'
  return m.status
}

/**
 * Settings → SMS. For Twilio: the Account SID, a From number or a Messaging Service SID, an API base URL
 * (default Twilio's), and the auth token — needed the first time, kept (never shown again) after.
 * Switching to the outbox keeps Twilio's settings for later.
 */
export const smsConfigureInputSchema = z
  .object({
    provider: z.enum(smsProviders),
    accountSid: z
      .string()
      .trim()
      .regex(/^AC[0-9a-fA-F]{32}$/, 'An Account SID is AC followed by 32 hexadecimal digits')
      .optional(),
    from: z.string().trim().min(1).max(40).optional(),
    messagingServiceSid: z
      .string()
      .trim()
      .regex(/^MG[0-9a-fA-F]{32}$/, 'A Messaging Service SID is MG followed by 32 hexadecimal digits')
      .optional(),
    apiBaseUrl: z
      .string()
      .trim()
      .max(500)
      .regex(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, 'Enter an https:// URL, without a query')
      .refine(
        isHttpsOrLoopback,
        'Use an https:// address: plain http:// is accepted only for this machine (localhost, 127.0.0.1, [::1])',
      )
      .optional(),
    authToken: z.string().trim().min(1).max(256).optional(),
  })
  .strict()
export type SmsConfigureInput = z.infer<typeof smsConfigureInputSchema>

export const smsSendTestInputSchema = z.object({ to: z.string().trim().min(1).max(40) }).strict()

export const smsOutboxInputSchema = z
  .object({
    /** Messages with an id below this one (keyset pagination, newest first). */
    before: z.number().int().positive().optional(),
    limit: z.number().int().min(1).max(500).default(50),
  })
  .strict()

/** Settings → SMS as shown: never the auth token, only whether one is kept and where. */
export interface SmsConfigDto {
  provider: SmsProviderName
  accountSid: string | null
  from: string | null
  messagingServiceSid: string | null
  apiBaseUrl: string
  authTokenSet: boolean
  /** Where the token lives: the OS keychain, or (for a passphrase-protected database) inside the database. */
  authTokenStore: 'keychain' | 'database'
}

/** One outbox message as listed: the number masked, and the text with any code replaced by ••••••. */
export interface SmsOutboxEntryDto {
  id: number
  to: string
  kind: string
  text: string
  status: SmsStatusName
  attempts: number
  lastError: string | null
  provider: SmsProviderName | null
  providerSid: string | null
  createdAt: number
  sentAt: number | null
  nextAttemptAt: number | null
}

export interface SmsOutboxPage {
  messages: SmsOutboxEntryDto[]
  nextBefore: number | null
}

export const smsMethods = {
  /** Settings → SMS: never the auth token, only whether one is kept. */
  'sms.getConfig': method<SmsConfigDto>()(emptyInputSchema, 'settings.read'),
  /** Owner-only: where SMS (and Twilio's token) go protects everyone. */
  'sms.configure': method<SmsConfigDto>()(smsConfigureInputSchema, 'settings.protective'),
  /** Queues a test message and tries it at once; the entry says whether it went. */
  'sms.sendTest': method<SmsOutboxEntryDto>()(smsSendTestInputSchema, 'settings.protective'),
  /** Settings → SMS outbox: masked numbers, codes hidden. */
  'sms.outbox': method<SmsOutboxPage>()(smsOutboxInputSchema, 'settings.read'),
} satisfies AreaMethods<'sms'>
