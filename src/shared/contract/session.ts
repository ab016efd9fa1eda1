import { z } from 'zod'
import { emptyInputSchema, type SessionUser } from './common'
import { method, type AreaMethods } from './method'

/**
 * Where the console stands. The renderer draws exactly one screen per phase.
 * - needs-setup: no database yet; the first-run screen creates it and the owner
 * - needs-db-passphrase: the database key comes from a passphrase the user must type
 * - db-error: the database cannot be opened; the message says why and nothing was changed
 */
export type SessionState =
  | { phase: 'needs-setup'; keychainAvailable: boolean }
  | { phase: 'needs-db-passphrase' }
  | { phase: 'db-error'; code: string; message: string }
  | { phase: 'signed-out' }
  | {
      phase: 'second-factor'
      user: SessionUser
      /** The account has a verified emergency phone, so the second step may offer an SMS code (no number). */
      emergencyPhone: boolean
    }
  | { phase: 'enroll-required'; user: SessionUser }
  | { phase: 'locked'; user: SessionUser; idleLockMinutes: number }
  | {
      phase: 'signed-in'
      user: SessionUser
      idleLockMinutes: number
      /** Set while a user required to have 2FA is inside the grace period: remind them until then. */
      twoFactorDueAt?: number
    }

/** What changed since `after` on other consoles; waits up to `waitMs` for something to. */
export const changesNextInputSchema = z
  .object({
    after: z.number().int().min(0),
    waitMs: z.number().int().min(0).max(25_000).default(20_000),
  })
  .strict()

/** Areas ('users', 'recovery') other consoles changed since a version; `live` false: nothing to hear. */
export interface ChangesDto {
  version: number
  areas: string[]
  live: boolean
}

export const sessionMethods = {
  'session.state': method<SessionState>()(emptyInputSchema, 'anyone'),
  'session.touch': method<SessionState>()(emptyInputSchema, 'anyone'),
  /**
   * A long poll for other consoles' changes. Open to anyone: it names areas only, never data, and must not
   * count as activity (a waiting screen would otherwise never lock when idle).
   */
  'changes.next': method<ChangesDto>()(changesNextInputSchema, 'anyone'),
} satisfies AreaMethods<'session' | 'changes'>
