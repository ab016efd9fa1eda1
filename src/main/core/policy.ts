import type { z } from 'zod'
import type { Policy } from '../../shared/schemas'
import { IDLE_LOCK_MAX, policySchema, SESSION_LIFETIME_MAX_HOURS } from '../../shared/schemas'
import { getSetting, putSetting } from '../db/queries/settings'
import type { Store } from '../db/store'
import type { AuditLog } from './audit'
import type { ClientInfo } from './client'

export const DEFAULT_POLICY: Policy = {
  idleLockMinutes: 5,
  sessionLifetimeHours: SESSION_LIFETIME_MAX_HOURS,
  failuresBeforeDelay: 3,
  failuresBeforeLock: 10,
  lockMinutes: 15,
  requireTwoFactorForNewUsers: true,
  gracePeriodDays: 0,
  recoveryCoolingOffMinutes: 60,
  recoveryRequestHours: 72,
  noticesBy: 'both',
  defaultLanguage: 'en',
}

export const POLICY_SETTING = 'policy'
const KEY = POLICY_SETTING

/**
 * The stored policy, field by field: a field that no longer passes the schema (an idle lock of 4 hours
 * saved before the 60-minute maximum) is brought within it, never allowed to reset the others.
 */
function parsePolicy(raw: string): Policy {
  const stored = JSON.parse(raw) as Record<string, unknown>
  if (typeof stored.idleLockMinutes === 'number') {
    stored.idleLockMinutes = Math.min(stored.idleLockMinutes, IDLE_LOCK_MAX)
  }
  const policy: Record<string, unknown> = { ...DEFAULT_POLICY }
  for (const [field, schema] of Object.entries(policySchema.shape)) {
    const parsed = (schema as z.ZodType).safeParse(stored[field])
    if (parsed.success) policy[field] = parsed.data
  }
  return Object.freeze(policy) as Policy
}

export class PolicyService {
  private cached: { raw: string; policy: Policy } | undefined

  constructor(
    private readonly db: Store,
    private readonly audit: AuditLog,
  ) {}

  /** The policy in force (defaults for what was never set). */
  async get(): Promise<Policy> {
    return this.fromSetting(await getSetting(this.db, KEY))
  }

  /** The policy from its stored value, read by a query that fetched it with something else. */
  fromSetting(raw: string | null | undefined): Policy {
    if (!raw) return DEFAULT_POLICY
    // Read on every call (sessions ask for the idle lock and lifetime each time): parse only on change.
    if (raw !== this.cached?.raw) this.cached = { raw, policy: parsePolicy(raw) }
    return this.cached.policy
  }

  /**
   * Saves the changed fields and records old and new values in the same transaction. Who may change
   * which field is decided by SettingsService, the use case that calls this.
   */
  async update(changes: Partial<Policy>, actorId: number | null, client?: ClientInfo): Promise<Policy> {
    return this.db.transaction(async () => {
      const before = await this.get()
      const after = policySchema.parse({ ...before, ...changes })
      const changed = Object.fromEntries(
        (Object.keys(after) as (keyof Policy)[])
          .filter((k) => after[k] !== before[k])
          .map((k) => [k, { from: before[k], to: after[k] }]),
      )
      if (Object.keys(changed).length === 0) return before
      await putSetting(this.db, KEY, JSON.stringify(after))
      await this.audit.append({ type: 'policy.updated', actorId, data: { ...client, changed } })
      return after
    })
  }
}
