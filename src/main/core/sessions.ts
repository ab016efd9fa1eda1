import type { SessionUser } from '../../shared/dto'
import type { Clock } from '../adapters/clock'

/**
 * - second-factor: the password was right; the app code or a backup code must follow
 * - enroll: the person must enroll an authenticator before anything else (2FA required, or after recovery)
 * - full: signed in
 */
export type SessionStage = 'second-factor' | 'enroll' | 'full'

export interface Session {
  user: SessionUser
  stage: SessionStage
  locked: boolean
  lastActivityAt: number
  /** When the password was given: the session ends `sessionLifetimeHours` later, however active. */
  signedInAt: number
  /**
   * When this session last proved the current password (signing in, or changing it here): a password
   * changed after that moment, anywhere, ends the session.
   */
  passwordAt: number
  /**
   * When this session passed the second step of its sign-in (password and a second factor), while that
   * still counts as a recent proof for `takeRecentSignIn`; null once spent, locked, or never.
   */
  secondFactorAt: number | null
}

/** What the database says about the person now (see AuthService.sessionFacts); undefined: deleted. */
export interface PersonNow {
  user: SessionUser
  status: 'invited' | 'active' | 'disabled'
  mustEnroll: boolean
  /** When the password last changed (changed or reset): sessions that proved an older one end. */
  passwordChangedAt: number | null
}

/** What the session rules read from the policy. */
export interface SessionLimits {
  idleLockMinutes: number
  sessionLifetimeHours: number
}

/** A login left half-way (password given, no second step) is forgotten after this long. */
export const PARTIAL_LOGIN_TTL_MS = 5 * 60_000

/**
 * How long a sign-in stands in for asking again: the password and second factor for new backup codes
 * (spent on first use), the password for the enrollment that must follow it. Short, per session.
 */
export const RECENT_SIGN_IN_MS = 5 * 60_000

/**
 * The signed-in person of each client (a window, or a browser test page). Kept in main's memory only:
 * quitting the app ends every session, and nothing about it is left on the shared machine.
 */
export class SessionManager {
  private readonly sessions = new Map<string, Session>()

  constructor(
    private readonly clock: Clock,
    /** The policy's idle lock and session lifetime, read once per call. */
    private readonly limits: () => SessionLimits | Promise<SessionLimits>,
  ) {}

  /**
   * The client's session after applying the time rules. `idleLocked` is true exactly once, on the call
   * that finds the session idle too long, and `expired` is the session that just outlived its lifetime
   * (and is gone), so the caller can record either.
   */
  async current(
    clientId: string,
    /** The limits when the caller has just read them (with the person's facts); read here otherwise. */
    known?: SessionLimits,
  ): Promise<{ session: Session | undefined; idleLocked: boolean; expired?: Session }> {
    if (!this.sessions.has(clientId)) return { session: undefined, idleLocked: false }
    // The limits are read first, so that everything below runs without a pause: another call for the
    // same client cannot change the session half-way through these rules.
    const limits = known ?? (await this.limits())
    const s = this.sessions.get(clientId)
    if (!s) return { session: undefined, idleLocked: false }
    if (s.stage !== 'full' && this.clock.now() - s.lastActivityAt >= PARTIAL_LOGIN_TTL_MS) {
      this.sessions.delete(clientId)
      return { session: undefined, idleLocked: false }
    }
    if (this.clock.now() - s.signedInAt >= limits.sessionLifetimeHours * 60 * 60_000) {
      this.sessions.delete(clientId)
      return { session: undefined, idleLocked: false, expired: s }
    }
    if (s.locked || s.stage !== 'full') return { session: s, idleLocked: false }
    const idleMs = limits.idleLockMinutes * 60_000
    if (this.clock.now() - s.lastActivityAt >= idleMs) {
      s.locked = true
      return { session: s, idleLocked: true }
    }
    return { session: s, idleLocked: false }
  }

  /** Whose session the client has, before any rule is applied. */
  userOf(clientId: string): number | undefined {
    return this.sessions.get(clientId)?.user.id
  }

  signIn(clientId: string, user: SessionUser, stage: SessionStage = 'full'): Session {
    const now = this.clock.now()
    const s: Session = {
      user,
      stage,
      locked: false,
      lastActivityAt: now,
      signedInAt: now,
      passwordAt: now,
      secondFactorAt: null,
    }
    this.sessions.set(clientId, s)
    return s
  }

  /**
   * Brings a session in line with the database: the person's role, name and email as they are now; a
   * full session of someone who must enroll goes back to enrollment. Returns false — and ends the
   * session — when the person was deleted or is no longer active.
   */
  follow(clientId: string, now: PersonNow | undefined): boolean {
    const s = this.sessions.get(clientId)
    if (!s) return true
    const passwordChanged = now?.passwordChangedAt != null && now.passwordChangedAt > s.passwordAt
    if (!now || now.status !== 'active' || passwordChanged) {
      this.sessions.delete(clientId)
      return false
    }
    s.user = now.user
    if (s.stage === 'full' && now.mustEnroll) s.stage = 'enroll'
    return true
  }

  /** The person changed their password in this session: it goes on, every other one ends. */
  passwordChanged(clientId: string): void {
    const s = this.sessions.get(clientId)
    if (s) s.passwordAt = this.clock.now()
  }

  /** The next login step passed (second factor given, or enrollment finished). */
  advance(clientId: string, stage: SessionStage): void {
    const s = this.sessions.get(clientId)
    if (!s) return
    s.stage = stage
    s.lastActivityAt = this.clock.now()
  }

  /** The second step of the sign-in passed: the session is complete and holds a recent proof of both factors. */
  secondFactorPassed(clientId: string): void {
    this.advance(clientId, 'full')
    const s = this.sessions.get(clientId)
    if (s) s.secondFactorAt = this.clock.now()
  }

  /**
   * Whether the session proved the password and a second factor at sign-in less than RECENT_SIGN_IN_MS
   * ago, unlocked since; true at most once per sign-in — the proof is spent by asking.
   */
  takeRecentSignIn(clientId: string): boolean {
    const s = this.sessions.get(clientId)
    if (!s || s.stage !== 'full' || s.locked || s.secondFactorAt === null) return false
    const recent = this.clock.now() - s.secondFactorAt < RECENT_SIGN_IN_MS
    s.secondFactorAt = null
    return recent
  }

  /**
   * Whether the session may only enroll (after the password, or activation, or a way back in) and gave
   * the password less than RECENT_SIGN_IN_MS ago: enrollment's own password check would ask it again.
   */
  justSignedInToEnroll(clientId: string): boolean {
    const s = this.sessions.get(clientId)
    return !!s && s.stage === 'enroll' && this.clock.now() - s.passwordAt < RECENT_SIGN_IN_MS
  }

  touch(clientId: string): void {
    const s = this.sessions.get(clientId)
    if (s && !s.locked && s.stage === 'full') s.lastActivityAt = this.clock.now()
  }

  lock(clientId: string): Session | undefined {
    const s = this.sessions.get(clientId)
    // Whoever unlocks proves the password only: the sign-in's proof does not carry over.
    if (s) {
      s.locked = true
      s.secondFactorAt = null
    }
    return s
  }

  unlock(clientId: string, user: SessionUser): void {
    const s = this.sessions.get(clientId)
    if (!s) return
    s.user = user
    s.locked = false
    s.lastActivityAt = this.clock.now()
  }

  signOut(clientId: string): Session | undefined {
    const s = this.sessions.get(clientId)
    this.sessions.delete(clientId)
    return s
  }

  signOutAll(): void {
    this.sessions.clear()
  }

  /** Every client with a complete sign-in (locked or not), for what this console tells its people. */
  signedIn(): { clientId: string; session: Session }[] {
    return [...this.sessions]
      .filter(([, s]) => s.stage === 'full')
      .map(([clientId, session]) => ({ clientId, session }))
  }
}
