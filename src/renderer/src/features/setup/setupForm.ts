import { z } from 'zod'
import {
  dbPassphraseSchema,
  emailSchema,
  keyStores,
  newPasswordSchema,
  personNameSchema,
  type SetupInput,
} from '../../../../shared/schemas'

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
  })
  .superRefine((v, ctx) => {
    if (v.password !== v.confirmPassword) {
      ctx.addIssue({ code: 'custom', path: ['confirmPassword'], message: 'The passwords do not match' })
    }
    if (v.keyStore !== 'passphrase') return
    const parsed = dbPassphraseSchema.safeParse(v.passphrase)
    if (!parsed.success) {
      ctx.addIssue({
        code: 'custom',
        path: ['passphrase'],
        message: parsed.error.issues[0]?.message ?? 'Invalid',
      })
    } else if (v.passphrase !== v.confirmPassphrase) {
      ctx.addIssue({ code: 'custom', path: ['confirmPassphrase'], message: 'The passphrases do not match' })
    }
  })

export type SetupFormInput = z.input<typeof setupFormSchema>
export type SetupFormValues = z.output<typeof setupFormSchema>

export function toSetupInput(v: SetupFormValues): SetupInput {
  const base = { email: v.email, name: v.name, password: v.password, keyStore: v.keyStore }
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
})
