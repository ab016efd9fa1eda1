import { z } from 'zod'
import type { SmsConfigDto } from '../../../../shared/dto'
import { smsConfigureInputSchema, smsProviders, type SmsConfigureInput } from '../../../../shared/schemas'
import { i18n } from '../../i18n'

export const DEFAULT_TWILIO_API_BASE_URL = 'https://api.twilio.com'

const shape = smsConfigureInputSchema.shape
/** An empty box means "not given": the shared schema's optional field, after blanks become undefined. */
const optional = <T extends z.ZodType<string | undefined, string | undefined>>(field: T) =>
  z
    .string()
    .transform((v) => (v.trim() === '' ? undefined : v))
    .pipe(field)

/**
 * Settings → SMS as typed: every box a string, the sender chosen by a radio. Each field is checked by the
 * contract's own schema; the result is the contract's input (only what applies to the chosen provider).
 */
export const smsFormSchema = z
  .object({
    provider: z.enum(smsProviders),
    accountSid: optional(shape.accountSid),
    authToken: optional(shape.authToken),
    sender: z.enum(['from', 'messagingService']),
    from: optional(shape.from),
    messagingServiceSid: optional(shape.messagingServiceSid),
    apiBaseUrl: optional(shape.apiBaseUrl),
  })
  .superRefine((v, ctx) => {
    if (v.provider !== 'twilio') return
    if (!v.accountSid) {
      ctx.addIssue({ code: 'custom', path: ['accountSid'], message: i18n.t('settings:sms.needSid') })
    }
    if (v.sender === 'from' && !v.from) {
      ctx.addIssue({ code: 'custom', path: ['from'], message: i18n.t('settings:sms.needFrom') })
    }
    if (v.sender === 'messagingService' && !v.messagingServiceSid) {
      ctx.addIssue({
        code: 'custom',
        path: ['messagingServiceSid'],
        message: i18n.t('settings:sms.needService'),
      })
    }
  })
  .transform((v): SmsConfigureInput => {
    const common = {
      ...(v.accountSid ? { accountSid: v.accountSid } : {}),
      ...(v.apiBaseUrl ? { apiBaseUrl: v.apiBaseUrl } : {}),
    }
    if (v.provider === 'outbox') return { provider: 'outbox', ...common }
    return {
      provider: 'twilio',
      ...common,
      ...(v.sender === 'from' && v.from ? { from: v.from } : {}),
      ...(v.sender === 'messagingService' && v.messagingServiceSid
        ? { messagingServiceSid: v.messagingServiceSid }
        : {}),
      ...(v.authToken ? { authToken: v.authToken } : {}),
    }
  })

export type SmsFormInput = z.input<typeof smsFormSchema>

export const smsFormFields = ['accountSid', 'authToken', 'from', 'messagingServiceSid', 'apiBaseUrl'] as const

/** The form for a saved configuration. The auth token box always starts empty: it is write-only. */
export const toSmsForm = (c: SmsConfigDto): SmsFormInput => ({
  provider: c.provider,
  accountSid: c.accountSid ?? '',
  authToken: '',
  sender: c.messagingServiceSid && !c.from ? 'messagingService' : 'from',
  from: c.from ?? '',
  messagingServiceSid: c.messagingServiceSid ?? '',
  apiBaseUrl: c.apiBaseUrl || DEFAULT_TWILIO_API_BASE_URL,
})
