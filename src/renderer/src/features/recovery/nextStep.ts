import type { RecoveryRequestDetailDto } from '../../../../shared/dto'
import { RECOVERY_MIN_CHECKS } from '../../../../shared/schemas'
import { i18n } from '../../i18n'
import { dateTime } from '../users/format'
import type { RecoveryT } from './format'

/** A code issued for the request that is neither used nor revoked (an expired one ends the request). */
export const liveCodeOf = (detail: RecoveryRequestDetailDto) =>
  detail.codes.find((c) => c.usedAt === null && c.revokedAt === null)

/**
 * What the viewing agent should do next, in one sentence that follows the request's status: open and
 * verifying (identity checks, then approvals), approved (cooling-off, the code, waiting for it to be
 * used), and the closed ones (completed, denied, expired). In the console's language unless given `t`.
 */
export function nextStep(
  detail: RecoveryRequestDetailDto,
  t: RecoveryT = i18n.getFixedT(null, 'recovery'),
): string {
  const name = detail.user.name
  const a = detail.actions
  const live = detail.status === 'open' || detail.status === 'verifying' || detail.status === 'approved'
  // Deny is offered on every live request the agent may work at all.
  if (live && !a.deny) {
    const reason = a.approve.reason ?? a.issueCode.reason
    return reason ? t('next.cannot', { reason }) : t('next.cannotBare')
  }
  switch (detail.status) {
    case 'open':
    case 'verifying': {
      const missing = RECOVERY_MIN_CHECKS - detail.checks.length
      if (detail.status === 'open' && detail.checks.length === 0) return t('next.new', { name })
      if (missing > 0) return t('next.moreChecks', { count: missing })
      if (a.approve.allowed) {
        return detail.approvals === 0 ? t('next.firstApproval', { name }) : t('next.lastApproval', { name })
      }
      return a.approve.reason ? t('next.waiting', { reason: a.approve.reason }) : t('next.waitingBare')
    }
    case 'approved': {
      const issued = liveCodeOf(detail)
      if (issued) {
        const at = dateTime(issued.issuedAt)
        return detail.purpose === 'password'
          ? t('next.issued.password', { at, name })
          : t('next.issued.access', { at, name })
      }
      if (!a.issueCode.allowed) {
        return a.issueCode.reason
          ? t('next.approvedBlocked', { reason: a.issueCode.reason })
          : t('next.approvedBare')
      }
      if (detail.purpose === 'password') return t('next.issuePassword')
      return detail.phone === null
        ? t('next.issueRead', { name })
        : t('next.issueSms', { phone: detail.phone })
    }
    case 'completed':
      return detail.purpose === 'password' ? t('next.donePassword') : t('next.done', { name })
    case 'denied':
      return t('next.denied', { name })
    case 'expired':
      return t('next.expired', { name })
  }
}
