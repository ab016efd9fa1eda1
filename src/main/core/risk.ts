import type { RiskReason } from '../../shared/schemas'
import type { UserListRow } from '../db/queries/user-list'

export const DAY_MS = 24 * 60 * 60_000

/**
 * Why one account is at risk, worst first. The same rules as the Users page's "at risk" filter
 * (db/queries/user-list.ts, RISK_WAYS) and the dashboard's count, row by row:
 * - an owner or admin without an authenticator: whoever has their password holds the console;
 * - 2FA required and still not set up once the grace period is over (an invited person is not counted:
 *   activating the account asks for it);
 * - set up, with 0–1 backup codes left, or without a verified emergency phone: one lost phone away from
 *   being locked out;
 * - locked by failed attempts (someone may be guessing).
 */
export function riskReasonsOf(row: UserListRow, now: number, graceMs: number): RiskReason[] {
  const reasons: RiskReason[] = []
  const enrolled = row.totp_enrolled_at !== null
  if (!enrolled && (row.role === 'owner' || row.role === 'admin')) reasons.push('privileged-without-2fa')
  if (
    !enrolled &&
    row.require_2fa === 1 &&
    row.status !== 'invited' &&
    (row.require_2fa_since === null || row.require_2fa_since <= now - graceMs)
  )
    reasons.push('required-overdue')
  if (enrolled && row.backup_codes_left <= 1) reasons.push('few-backup-codes')
  if (enrolled && row.phone_verified === 0) reasons.push('no-verified-phone')
  if (row.locked_forever === 1 || row.locked_until !== null) reasons.push('locked')
  return reasons
}
