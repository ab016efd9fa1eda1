import { z } from 'zod'
import { emptyInputSchema } from './common'
import { everyone, method, type AreaMethods } from './method'
import { languageSchema } from './preferences'

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
  /** How people hear of changes to their account: by email, by SMS to a verified phone, or both. */
  noticesBy: z.enum(['email', 'sms', 'both']),
  /** The language of the emails and SMS of a person who has not chosen one. */
  defaultLanguage: languageSchema,
})
export type Policy = z.infer<typeof policySchema>
export const policyUpdateSchema = policySchema.partial()

export const policyMethods = {
  'policy.get': method<Policy>()(emptyInputSchema, everyone),
  /** The protective fields (recovery, lockout, idle lock, session lifetime) are owner-only. */
  'policy.update': method<Policy>()(policyUpdateSchema, 'policy.change'),
} satisfies AreaMethods<'policy'>
