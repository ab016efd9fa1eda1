import { z } from 'zod'
import {
  databaseUrlSchema,
  dbPassphraseSchema,
  emailSchema,
  keyStores,
  newPasswordSchema,
  personNameSchema,
  type SetupInput,
} from '../../../../shared/schemas'
import { i18n } from '../../i18n'

/** The contract's setup fields plus the confirmations a person types twice. */
export const setupFormSchema = z
  .object({
    email: emailSchema,
    name: personNameSchema,
    password: newPasswordSchema,
    confirmPassword: z.string(),
    keyStore: z.enum(keyStores),
    passphrase: z.string(),
    confirmPassphrase: z.string(),
    /** A new team database (PostgreSQL) instead of a file on this computer; empty for the file. */
    databaseUrl: z.string(),
    team: z.boolean(),
  })
  .superRefine((v, ctx) => {
    if (v.password !== v.confirmPassword) {
      ctx.addIssue({
        code: 'custom',
        path: ['confirmPassword'],
        message: i18n.t('setup:form.passwordsDiffer'),
      })
    }
    if (v.team) {
      const url = databaseUrlSchema.safeParse(v.databaseUrl)
      if (!url.success) {
        ctx.addIssue({
          code: 'custom',
          path: ['databaseUrl'],
          message: url.error.issues[0]?.message ?? i18n.t('setup:form.invalid'),
        })
      }
    } else if (v.keyStore !== 'passphrase') return
    const parsed = dbPassphraseSchema.safeParse(v.passphrase)
    if (!parsed.success) {
      ctx.addIssue({
        code: 'custom',
        path: ['passphrase'],
        message: parsed.error.issues[0]?.message ?? i18n.t('setup:form.invalid'),
      })
    } else if (v.passphrase !== v.confirmPassphrase) {
      ctx.addIssue({
        code: 'custom',
        path: ['confirmPassphrase'],
        message: i18n.t('setup:form.passphrasesDiffer'),
      })
    }
  })

export type SetupFormInput = z.input<typeof setupFormSchema>
export type SetupFormValues = z.output<typeof setupFormSchema>

export function toSetupInput(v: SetupFormValues): SetupInput {
  const base = { email: v.email, name: v.name, password: v.password, keyStore: v.keyStore }
  // On a team database the passphrase is the team's: it wraps the team key.
  if (v.team) return { ...base, keyStore: 'passphrase', passphrase: v.passphrase, databaseUrl: v.databaseUrl }
  return v.keyStore === 'passphrase' ? { ...base, passphrase: v.passphrase } : base
}

export const emptySetupForm = (keychainAvailable: boolean): SetupFormInput => ({
  email: '',
  name: '',
  password: '',
  confirmPassword: '',
  keyStore: keychainAvailable ? 'keychain' : 'passphrase',
  passphrase: '',
  confirmPassphrase: '',
  databaseUrl: '',
  team: false,
})
