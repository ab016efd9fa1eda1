import { z } from 'zod'
import { emailSchema, emptyInputSchema } from './common'
import { method, type AreaMethods } from './method'

export const emailProviders = ['outbox', 'smtp'] as const
export type EmailProviderName = (typeof emailProviders)[number]
export const emailTlsModes = ['implicit', 'starttls', 'none'] as const
export type EmailTlsModeName = (typeof emailTlsModes)[number]
export const emailStatuses = ['queued', 'sending', 'sent', 'failed'] as const
export type EmailStatusName = (typeof emailStatuses)[number]

/** Whether a host is this machine: plain SMTP (no TLS) is accepted only there. */
export function isLoopbackHostName(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)
}

const hostSchema = z
  .string()
  .trim()
  .min(1, 'Enter the SMTP server name')
  .max(253)
  .regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+|[0-9a-fA-F:]+)$/, 'Enter a host name or an IP address')

/** An address, or `Name <address>`. */
const fromSchema = z
  .string()
  .trim()
  .max(320)
  .regex(
    /^([^<>\r\n]{1,100}\s)?<?[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>?$/,
    'Enter an email address, or a name and an address: Acme IT <it@acme.example>',
  )

/**
 * Settings → Email. For SMTP: the server, its port, how the connection is protected (implicit TLS,
 * STARTTLS required, or none — to this machine only), the user and password (the password needed the
 * first time, kept and never shown again after), the From address and the name messages speak for.
 * Switching to the outbox keeps the SMTP settings for later.
 */
export const emailConfigureInputSchema = z
  .object({
    provider: z.enum(emailProviders),
    host: hostSchema.optional(),
    port: z.number().int().min(1).max(65535).optional(),
    tls: z.enum(emailTlsModes).optional(),
    /** Null: no authentication. */
    user: z.string().trim().min(1).max(320).nullable().optional(),
    password: z.string().min(1).max(1024).optional(),
    from: fromSchema.optional(),
    accountName: z.string().trim().min(1).max(100).nullable().optional(),
  })
  .strict()
  .refine((c) => !(c.tls === 'none' && c.host !== undefined && !isLoopbackHostName(c.host)), {
    path: ['tls'],
    message:
      'Plain SMTP without TLS is allowed only to this machine (localhost, 127.0.0.1, ::1): messages carry codes.',
  })
export type EmailConfigureInput = z.infer<typeof emailConfigureInputSchema>

export const emailSendTestInputSchema = z.object({ to: emailSchema }).strict()

export const emailOutboxInputSchema = z
  .object({
    before: z.number().int().positive().optional(),
    limit: z.number().int().min(1).max(500).default(50),
  })
  .strict()

/** Settings → Email as shown: never the password, only whether one is kept and where. */
export interface EmailConfigDto {
  provider: EmailProviderName
  host: string | null
  port: number | null
  tls: EmailTlsModeName
  user: string | null
  from: string | null
  accountName: string | null
  passwordSet: boolean
  passwordStore: 'keychain' | 'database'
}

/** One outbox message as listed: its text with any code replaced by ••••. */
export interface EmailOutboxEntryDto {
  id: number
  to: string
  kind: string
  subject: string
  text: string
  status: EmailStatusName
  attempts: number
  lastError: string | null
  provider: EmailProviderName | null
  providerId: string | null
  createdAt: number
  sentAt: number | null
  nextAttemptAt: number | null
}

export interface EmailOutboxPage {
  messages: EmailOutboxEntryDto[]
  nextBefore: number | null
}

export const emailMethods = {
  /** Settings → Email: never the password. */
  'email.getConfig': method<EmailConfigDto>()(emptyInputSchema, 'settings.read'),
  /** Owner-only: where email (and the SMTP password) go protects everyone. */
  'email.configure': method<EmailConfigDto>()(emailConfigureInputSchema, 'settings.protective'),
  /** Sends a test message at once; the entry says whether it went, with the server's reply if not. */
  'email.sendTest': method<EmailOutboxEntryDto>()(emailSendTestInputSchema, 'settings.protective'),
  /** Settings → Email outbox: texts without codes. */
  'email.outbox': method<EmailOutboxPage>()(emailOutboxInputSchema, 'settings.read'),
} satisfies AreaMethods<'email'>
