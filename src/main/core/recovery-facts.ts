import type { RecoveryFactsDto } from '../../shared/dto'
import { RECOVERY_FACTS_DAYS } from '../../shared/schemas'
import {
  failuresAndLockoutsOf,
  lastSignInOf,
  locksOf,
  LOCKOUT_TYPE,
  otherRequestsOf,
  phoneVerifiedAt,
} from '../db/queries/agent-facts'
import type { Store } from '../db/store'

const DAY = 24 * 60 * 60_000
/** The other requests listed by id (the count says how many there are in all). */
const OTHER_REQUESTS_LISTED = 5

/**
 * The facts beside a recovery request, for the agent to decide with: last sign-in, recent failures and
 * lockouts, a lock in force, backup codes left, the phone's verification date, the person's other
 * requests. All of it comes from rows Tessera keeps anyway; nothing secret (no code, no phone number).
 */
export async function recoveryFacts(
  db: Store,
  r: { id: number; user_id: number },
  backupCodes: { left: number; total: number },
  now: number,
): Promise<RecoveryFactsDto> {
  const userId = r.user_id
  const [lastSignIn, recent, locks, verifiedAt, others] = await Promise.all([
    lastSignInOf(db, userId),
    failuresAndLockoutsOf(db, userId, now - RECOVERY_FACTS_DAYS * DAY),
    locksOf(db, userId),
    phoneVerifiedAt(db, userId),
    otherRequestsOf(db, userId, r.id, OTHER_REQUESTS_LISTED),
  ])
  const tally = (rows: typeof recent) => ({
    count: rows.reduce((n, x) => n + x.n, 0),
    latestAt: rows.length === 0 ? null : Math.max(...rows.map((x) => x.latest)),
  })
  const inForce = locks.filter((l) => l.permanent === 1 || (l.locked_until !== null && l.locked_until > now))
  return {
    lastSignIn: lastSignIn ? { at: lastSignIn.at, ...whereFrom(lastSignIn.data) } : null,
    failures: tally(recent.filter((x) => x.type !== LOCKOUT_TYPE)),
    lockouts: tally(recent.filter((x) => x.type === LOCKOUT_TYPE)),
    lockedNow:
      inForce.length === 0
        ? null
        : {
            until: inForce.some((l) => l.permanent === 1)
              ? null
              : Math.max(...inForce.map((l) => l.locked_until!)),
          },
    backupCodes,
    phoneVerifiedAt: verifiedAt,
    otherRequests: {
      count: others.count,
      latest: others.latest.map((o) => ({ id: o.id, status: o.status, createdAt: o.created_at })),
    },
  }
}

/** The console a sign-in came from, as its audit event recorded it. */
function whereFrom(data: string): { via: 'desktop' | 'cli' | null; machine: string | null } {
  const d = JSON.parse(data) as { via?: unknown; machine?: unknown } | null
  return {
    via: d?.via === 'desktop' || d?.via === 'cli' ? d.via : null,
    machine: typeof d?.machine === 'string' ? d.machine : null,
  }
}
