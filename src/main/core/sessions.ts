import type { SessionUser } from '../../shared/dto'
import type { Clock } from '../adapters/clock'

export interface Session {
  user: SessionUser
  locked: boolean
  lastActivityAt: number
}

/**
 * The signed-in person of each client (a window, or a browser test page). Kept in main's memory only:
 * quitting the app ends every session, and nothing about it is left on the shared machine.
 */
export class SessionManager {
  private readonly sessions = new Map<string, Session>()

  constructor(
    private readonly clock: Clock,
    private readonly idleLockMinutes: () => number,
  ) {}

  /**
   * The client's session after applying the idle rule. `idleLocked` is true exactly once, on the call
   * that finds the session idle too long, so the caller can record it.
   */
  current(clientId: string): { session: Session | undefined; idleLocked: boolean } {
    const s = this.sessions.get(clientId)
    if (!s || s.locked) return { session: s, idleLocked: false }
    const idleMs = this.idleLockMinutes() * 60_000
    if (this.clock.now() - s.lastActivityAt >= idleMs) {
      s.locked = true
      return { session: s, idleLocked: true }
    }
    return { session: s, idleLocked: false }
  }

  signIn(clientId: string, user: SessionUser): Session {
    const s: Session = { user, locked: false, lastActivityAt: this.clock.now() }
    this.sessions.set(clientId, s)
    return s
  }

  touch(clientId: string): void {
    const s = this.sessions.get(clientId)
    if (s && !s.locked) s.lastActivityAt = this.clock.now()
  }

  lock(clientId: string): Session | undefined {
    const s = this.sessions.get(clientId)
    if (s) s.locked = true
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
}
