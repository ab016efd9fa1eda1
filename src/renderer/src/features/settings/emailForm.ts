import { z } from 'zod'
import type { EmailConfigDto } from '../../../../shared/dto'
import {
  emailConfigureInputSchema,
  emailProviders,
  emailTlsModes,
  isLoopbackHostName,
  type EmailConfigureInput,
} from '../../../../shared/schemas'
import { i18n } from '../../i18n'

const shape = emailConfigureInputSchema.shape

/** An empty box means "not given": the shared schema's optional field, after blanks become undefined. */
const optional = <T extends z.ZodType<string | undefined, string | undefined>>(field: T) =>
  z
    .string()
    .transform((v) => (v.trim() === '' ? undefined : v))
    .pipe(field)

/** An empty box means "none" (no SMTP user, no account name): null, else the shared schema's field. */
const nullable = <T extends z.ZodType<string | null | undefined, string | null | undefined>>(field: T) =>
  z
    .string()
    .transform((v): string | null | undefined => (v.trim() === '' ? null : v))
    .pipe(field)

/**
 * Settings → Email as typed: every box a string, the provider and the TLS mode chosen by radios. Each
 * field is checked by the contract's own schema; the result is the contract's input. Choosing the local
 * outbox sends only that (and the account name): main keeps the SMTP settings for later.
 */
export const emailFormSchema = z
  .object({
    provider: z.enum(emailProviders),
    host: optional(shape.host),
    port: z
      .string()
      .transform((v) => (v.trim() === '' ? undefined : Number(v)))
      // Messages as functions: read when a value is checked, in the language shown then.
      .pipe(
        z
          .number({ error: () => i18n.t('settings:email.portNumber') })
          .int({ error: () => i18n.t('settings:email.portNumber') })
          .min(1, { error: () => i18n.t('settings:email.portRange') })
          .max(65535, { error: () => i18n.t('settings:email.portRange') })
          .optional(),
      ),
    tls: z.enum(emailTlsModes),
    user: nullable(shape.user),
    password: optional(shape.password),
    from: optional(shape.from),
    accountName: nullable(shape.accountName),
  })
  .superRefine((v, ctx) => {
    if (v.provider !== 'smtp') return
    if (!v.host) ctx.addIssue({ code: 'custom', path: ['host'], message: i18n.t('settings:email.needHost') })
    if (!v.from) {
      ctx.addIssue({ code: 'custom', path: ['from'], message: i18n.t('settings:email.needFrom') })
    }
    if (v.tls === 'none' && v.host && !isLoopbackHostName(v.host)) {
      ctx.addIssue({ code: 'custom', path: ['tls'], message: i18n.t('settings:email.plainOnlyHere') })
    }
  })
  .transform((v): EmailConfigureInput => {
    const accountName = { accountName: v.accountName ?? null }
    if (v.provider === 'outbox') return { provider: 'outbox', ...accountName }
    return {
      provider: 'smtp',
      ...(v.host ? { host: v.host } : {}),
      ...(v.port !== undefined ? { port: v.port } : {}),
      tls: v.tls,
      user: v.user ?? null,
      ...(v.password ? { password: v.password } : {}),
      ...(v.from ? { from: v.from } : {}),
      ...accountName,
    }
  })

export type EmailFormInput = z.input<typeof emailFormSchema>

export const emailFormFields = ['host', 'port', 'tls', 'user', 'password', 'from', 'accountName'] as const

/** The form for a saved configuration. The password box always starts empty: it is write-only. */
export const toEmailForm = (c: EmailConfigDto): EmailFormInput => ({
  provider: c.provider,
  host: c.host ?? '',
  port: c.port === null ? '' : String(c.port),
  tls: c.tls,
  user: c.user ?? '',
  password: '',
  from: c.from ?? '',
  accountName: c.accountName ?? '',
})
