import type { Policy } from '../../shared/schemas'
import { policySchema } from '../../shared/schemas'
import type { Db } from '../db/connection'
import { getSetting, putSetting } from '../db/queries/settings'
import type { AuditLog } from './audit'

export const DEFAULT_POLICY: Policy = {
  idleLockMinutes: 5,
  failuresBeforeDelay: 3,
  failuresBeforeLock: 10,
  lockMinutes: 15,
  requireTwoFactorForNewUsers: true,
  gracePeriodDays: 0,
  recoveryCoolingOffMinutes: 60,
  recoveryRequestHours: 72,
}

const KEY = 'policy'

export class PolicyService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
  ) {}

  get(): Policy {
    const raw = getSetting(this.db, KEY)
    if (!raw) return DEFAULT_POLICY
    const parsed = policySchema.partial().safeParse(JSON.parse(raw))
    return { ...DEFAULT_POLICY, ...(parsed.success ? parsed.data : {}) }
  }

  /** Saves the changed fields and records old and new values in the same transaction. */
  update(changes: Partial<Policy>, actorId: number | null): Policy {
    return this.db
      .transaction(() => {
        const before = this.get()
        const after = policySchema.parse({ ...before, ...changes })
        const changed = Object.fromEntries(
          (Object.keys(after) as (keyof Policy)[])
            .filter((k) => after[k] !== before[k])
            .map((k) => [k, { from: before[k], to: after[k] }]),
        )
        if (Object.keys(changed).length === 0) return before
        putSetting(this.db, KEY, JSON.stringify(after))
        this.audit.append({ type: 'policy.updated', actorId, data: { changed } })
        return after
      })
      .immediate()
  }
}
