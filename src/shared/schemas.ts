import { z } from 'zod'

export const roles = ['owner', 'admin', 'support', 'member'] as const
export type Role = (typeof roles)[number]
export const roleSchema = z.enum(roles)

export const PASSWORD_MIN_LENGTH = 12
export const PASSWORD_MAX_LENGTH = 256

export const emailSchema = z
  .string()
  .trim()
  .min(3, 'Enter an email address')
  .max(254, 'An email address has at most 254 characters')
  .pipe(z.email('Enter a valid email address'))

export const personNameSchema = z
  .string()
  .trim()
  .min(1, 'Enter a name')
  .max(120, 'A name has at most 120 characters')

/** A password being checked: any non-empty string of bounded size (the policy applies only to new ones). */
export const passwordSchema = z
  .string()
  .min(1, 'Enter your password')
  .max(PASSWORD_MAX_LENGTH, `A password has at most ${PASSWORD_MAX_LENGTH} characters`)

/** A password being chosen. The common-password check runs in main, where the list lives. */
export const newPasswordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `A password has at most ${PASSWORD_MAX_LENGTH} characters`)

export const keyStores = ['keychain', 'passphrase'] as const
export type KeyStore = (typeof keyStores)[number]

export const DB_PASSPHRASE_MIN_LENGTH = 12
export const dbPassphraseSchema = z
  .string()
  .min(DB_PASSPHRASE_MIN_LENGTH, `Use a passphrase of at least ${DB_PASSPHRASE_MIN_LENGTH} characters`)
  .max(1024, 'A passphrase has at most 1024 characters')

/**
 * A team database's address: postgres:// or postgresql://, with a host and a database name. A password
 * in it is a secret like any other: it never appears in a message, a log or the status screen.
 */
export const databaseUrlSchema = z
  .string()
  .trim()
  .max(2048)
  .refine((v) => {
    try {
      const u = new URL(v)
      return (
        (u.protocol === 'postgres:' || u.protocol === 'postgresql:') && !!u.hostname && u.pathname.length > 1
      )
    } catch {
      return false
    }
  }, 'Give the team database as postgres://user:password@host:5432/database')

export const setupInputSchema = z
  .object({
    email: emailSchema,
    name: personNameSchema,
    password: newPasswordSchema,
    keyStore: z.enum(keyStores),
    passphrase: dbPassphraseSchema.optional(),
    /** A team database (PostgreSQL) instead of a file on this computer; `passphrase` is then the team's. */
    databaseUrl: databaseUrlSchema.optional(),
  })
  .refine((v) => (v.keyStore !== 'passphrase' && v.databaseUrl === undefined) || v.passphrase !== undefined, {
    message: 'Enter a database passphrase',
    path: ['passphrase'],
  })
export type SetupInput = z.infer<typeof setupInputSchema>

export const loginInputSchema = z.object({ email: emailSchema, password: passwordSchema })
export type LoginInput = z.infer<typeof loginInputSchema>

export const unlockInputSchema = z.object({ password: passwordSchema })
export const databaseUnlockInputSchema = z.object({ passphrase: z.string().min(1).max(1024) })
/** A console joining a team database that already exists: its address and the team passphrase. */
export const joinTeamInputSchema = z.object({
  databaseUrl: databaseUrlSchema,
  passphrase: z.string().min(1, 'Enter the team passphrase').max(1024),
})
export type JoinTeamInput = z.infer<typeof joinTeamInputSchema>

export const lockReasonSchema = z.enum(['manual', 'idle'])
export const lockInputSchema = z.object({ reason: lockReasonSchema })

export const IDLE_LOCK_MIN = 1
/** NIST SP 800-63B rev. 4, AAL2: re-authentication after at most an hour of inactivity. */
export const IDLE_LOCK_MAX = 60
/** NIST SP 800-63B rev. 4, AAL2: a session lasts at most 12 hours, however active. */
export const SESSION_LIFETIME_MAX_HOURS = 12
export const policySchema = z.object({
  idleLockMinutes: z.number().int().min(IDLE_LOCK_MIN).max(IDLE_LOCK_MAX),
  /** Hours after which every session ends and the person signs in again, however active. */
  sessionLifetimeHours: z.number().int().min(1).max(SESSION_LIFETIME_MAX_HOURS),
  /** Consecutive failures allowed before each further attempt must wait. */
  failuresBeforeDelay: z.number().int().min(1).max(20),
  /** Consecutive failures that lock the account for lockMinutes. */
  failuresBeforeLock: z.number().int().min(2).max(50),
  lockMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60),
  /** New users are created with "require 2FA" on. */
  requireTwoFactorForNewUsers: z.boolean(),
  /** Days a user required to have 2FA may still sign in without it (reminded each time); 0 = none. */
  gracePeriodDays: z.number().int().min(0).max(90),
  /** Minutes between a support approval and the moment a temporary access code may be issued; 0 = none. */
  recoveryCoolingOffMinutes: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 60),
  /** Hours a recovery request stays open before it expires unanswered. */
  recoveryRequestHours: z
    .number()
    .int()
    .min(1)
    .max(30 * 24),
})
export type Policy = z.infer<typeof policySchema>
export const policyUpdateSchema = policySchema.partial()

export const auditListInputSchema = z.object({
  /** Return events with a sequence number below this one (keyset pagination, newest first). */
  before: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(500).default(100),
})

export const emptyInputSchema = z.object({}).strict()

/** What changed since `after` on other consoles; waits up to `waitMs` for something to. */
export const changesNextInputSchema = z
  .object({
    after: z.number().int().min(0),
    waitMs: z.number().int().min(0).max(25_000).default(20_000),
  })
  .strict()

export const totpCodeSchema = z
  .string()
  .trim()
  .regex(/^\d{6}$/, 'Enter the 6-digit code from your authenticator app')

export const backupCodeSchema = z
  .string()
  .trim()
  .min(10, 'Enter a backup code like 7KQ2M-XD94P')
  .max(24, 'Enter a backup code like 7KQ2M-XD94P')
  .regex(/^[A-Za-z0-9 -]+$/, 'Enter a backup code like 7KQ2M-XD94P')

/** The second login step: the app code, or a backup code instead. */
export const secondFactorSchema = z.union([
  z.object({ code: totpCodeSchema }).strict(),
  z.object({ backupCode: backupCodeSchema }).strict(),
])
export type SecondFactorInput = z.infer<typeof secondFactorSchema>

export const startEnrollmentInputSchema = z.object({ password: passwordSchema })
export const confirmEnrollmentInputSchema = z.object({ code: totpCodeSchema })
export const regenerateBackupCodesInputSchema = z.object({ password: passwordSchema, code: totpCodeSchema })
export const disableTwoFactorInputSchema = z.union([
  z.object({ password: passwordSchema, code: totpCodeSchema }).strict(),
  z.object({ password: passwordSchema, backupCode: backupCodeSchema }).strict(),
])

export const INVITATION_DAYS = 7

export const createUserInputSchema = z.object({
  email: emailSchema,
  name: personNameSchema,
  role: roleSchema,
  /** Defaults to the policy's "require 2FA for new users". */
  requireTwoFactor: z.boolean().optional(),
})
export type CreateUserInput = z.infer<typeof createUserInputSchema>

export const userIdInputSchema = z.object({ userId: z.number().int().positive() })
export const setRequireTwoFactorInputSchema = userIdInputSchema.extend({ required: z.boolean() })
export const setDisabledInputSchema = userIdInputSchema.extend({ disabled: z.boolean() })
export const changeRoleInputSchema = userIdInputSchema.extend({ role: roleSchema })

/** An invitation code: 128 bits as 26 base32 characters, grouped for reading aloud. */
export const invitationCodeSchema = z
  .string()
  .trim()
  .min(26, 'Enter the invitation code you were given')
  .max(40, 'Enter the invitation code you were given')

export const activateInputSchema = z.object({
  email: emailSchema,
  code: invitationCodeSchema,
  password: newPasswordSchema,
})

export const userFilters = [
  'enrolled',
  'required',
  'off',
  'at-risk',
  'locked',
  'disabled',
  'invited',
] as const
export const userSorts = ['name', 'email', 'last-login'] as const
export const listUsersInputSchema = z.object({
  search: z.string().trim().max(254).optional(),
  filter: z.enum(userFilters).optional(),
  role: roleSchema.optional(),
  sort: z.enum(userSorts).default('name'),
  /** The opaque cursor of the previous page's nextCursor. */
  after: z.string().max(600).optional(),
  limit: z.number().int().min(1).max(500).default(50),
})

/** A CSV of users to import (email,name,role,require_2fa): 20 MB holds far more than 100,000 rows. */
export const IMPORT_MAX_CSV_CHARS = 20_000_000
export const IMPORT_MAX_ROWS = 100_000
export const IMPORT_DEFAULT_BATCH = 500
export const importBeginInputSchema = z.object({
  csv: z.string().min(1, 'The file is empty').max(IMPORT_MAX_CSV_CHARS, 'The file is larger than 20 MB'),
})
export const importNextInputSchema = z.object({
  importId: z.string().min(1).max(100),
  batchSize: z.number().int().min(1).max(5000).default(IMPORT_DEFAULT_BATCH),
})

/** require_2fa in an import: yes/no in the usual spellings; empty means the policy's default. */
export const requireTwoFactorCellSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(
    z.enum(['true', 'false', 'yes', 'no', '1', '0', ''], {
      message: 'Use true/false, yes/no, 1/0, or leave it empty for the policy default',
    }),
  )
  .transform((v) => (v === '' ? undefined : ['true', 'yes', '1'].includes(v)))

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

/** A code sent by SMS (login or phone verification): 6 digits. */
export const smsCodeSchema = z
  .string()
  .trim()
  .regex(/^\d{6}$/, 'Enter the 6-digit code sent to your phone')

const phoneNumberSchema = z.string().trim().min(1, 'Enter a phone number').max(40, 'Enter a phone number')

/** The emergency phone: the number twice, the confirmation that it is not the authenticator's phone. */
export const phoneStartInputSchema = z.object({
  number: phoneNumberSchema,
  numberConfirm: phoneNumberSchema,
  notAuthenticatorPhone: z.literal(true, {
    error: 'Confirm that this is not the phone with your authenticator app',
  }),
  password: passwordSchema,
  /** The current app code: required to change a verified phone. */
  code: totpCodeSchema.optional(),
})
export type PhoneStartInput = z.infer<typeof phoneStartInputSchema>
export const phoneVerifyInputSchema = z.object({ code: smsCodeSchema })

/** Support recovery: what an agent may have checked before approving (at least two are needed). */
export const recoveryChecks = {
  callback_known_number: 'Called the person back on a number from the company directory (not one they gave)',
  photo_id: 'Saw the person on video or in person and matched an official photo ID',
  manager_confirmed: 'Their manager confirmed the request through a separate channel',
  account_details: 'They answered questions about the account that only the account holder can know',
} as const
export type RecoveryCheck = keyof typeof recoveryChecks
export const recoveryCheckKeys = Object.keys(recoveryChecks) as [RecoveryCheck, ...RecoveryCheck[]]
export const RECOVERY_MIN_CHECKS = 2
export const recoveryStatuses = ['open', 'verifying', 'approved', 'denied', 'completed', 'expired'] as const
export type RecoveryStatus = (typeof recoveryStatuses)[number]
/** Requests still waiting for support: the Recovery queue's default view. */
export const liveRecoveryStatuses = [
  'open',
  'verifying',
  'approved',
] as const satisfies readonly RecoveryStatus[]

const recoveryNoteSchema = z.string().trim().min(1, 'Write a note').max(2000, 'At most 2,000 characters')

/** "Ask support for help", after the password: what happened and how support can reach the person. */
export const recoveryRequestInputSchema = z
  .object({
    message: z
      .string()
      .trim()
      .min(10, 'Tell support in a few words what happened (at least 10 characters)')
      .max(2000, 'At most 2,000 characters'),
    contact: z
      .string()
      .trim()
      .min(3, 'Say how support can reach you (a phone number, a desk, a colleague)')
      .max(200, 'At most 200 characters'),
  })
  .strict()
export type RecoveryRequestInput = z.infer<typeof recoveryRequestInputSchema>

export const recoveryIdInputSchema = z.object({ requestId: z.number().int().positive() }).strict()
export const recoveryListInputSchema = z
  .object({
    /** 'live' (open, verifying, approved: the default) or one status, or 'all'. */
    status: z.enum(['live', 'all', ...recoveryStatuses]).default('live'),
    /** Requests with an id below this one (keyset pagination, newest first). */
    before: z.number().int().positive().optional(),
    limit: z.number().int().min(1).max(500).default(50),
  })
  .strict()
export const recoveryCheckInputSchema = z
  .object({
    requestId: z.number().int().positive(),
    checks: z.array(z.enum(recoveryCheckKeys)).max(recoveryCheckKeys.length).default([]),
    note: recoveryNoteSchema.optional(),
  })
  .strict()
  .refine((v) => v.checks.length > 0 || v.note !== undefined, {
    message: 'Record at least one identity check or a note',
    path: ['checks'],
  })
export const recoveryApproveInputSchema = z
  .object({ requestId: z.number().int().positive(), note: recoveryNoteSchema.optional() })
  .strict()
export const recoveryDenyInputSchema = z
  .object({
    requestId: z.number().int().positive(),
    reason: z.string().trim().min(3, 'Say why the request is denied').max(500, 'At most 500 characters'),
  })
  .strict()

/** A temporary access code from support: 26 base32 characters (130 bits), grouped in fives. */
export const accessCodeSchema = z
  .string()
  .trim()
  .min(26, 'Enter the temporary access code support gave you')
  .max(40, 'Enter the temporary access code support gave you')
  .regex(/^[A-Za-z0-9 -]+$/, 'Enter the temporary access code support gave you')
export const accessCodeInputSchema = z.object({ code: accessCodeSchema }).strict()
