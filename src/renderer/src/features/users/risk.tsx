import type { RiskReason, UserSummaryDto } from '../../../../shared/dto'
import { Panel } from '../../ui/Layout'
import { lockLabel } from './format'
import styles from './Risk.module.css'

type RiskSubject = Pick<UserSummaryDto, 'role' | 'backupCodesLeft' | 'lockedUntil' | 'lockedForever'>

/** A reason in a few words, for the Users table's Risk column. */
export function riskLabel(reason: RiskReason, u: RiskSubject): string {
  switch (reason) {
    case 'privileged-without-2fa':
      return `${u.role === 'owner' ? 'Owner' : 'Admin'} without 2FA`
    case 'required-overdue':
      return '2FA overdue'
    case 'few-backup-codes':
      return u.backupCodesLeft === 1 ? '1 backup code left' : 'No backup codes'
    case 'no-verified-phone':
      return 'No verified phone'
    case 'locked':
      return lockLabel(u)
  }
}

/** Why a reason matters and what to do about it, for the user's page. */
export function riskAdvice(reason: RiskReason, u: RiskSubject): string {
  switch (reason) {
    case 'privileged-without-2fa':
      return 'Whoever has this password can manage users and settings. Ask them to set up two-factor authentication under My profile, or require it with "Require 2FA".'
    case 'required-overdue':
      return 'Two-factor authentication is required and the grace period is over. Their next sign-in leads straight into setting it up; remind them, or disable the account if it is no longer used.'
    case 'few-backup-codes':
      return `${u.backupCodesLeft === 1 ? 'Only one backup code is left' : 'Every backup code is used'}: losing their phone would leave them without a way in. Ask them to make a new set under My profile.`
    case 'no-verified-phone':
      return 'Without a verified emergency phone, losing their authenticator and codes means a support recovery. Ask them to add and verify one under My profile.'
    case 'locked':
      return 'Failed sign-in attempts locked the account: someone may be guessing the password. Check the recent events below, and unlock it once you know it was them.'
  }
}

/** The Users table's Risk cell: the worst reason in words, and how many more (all of them on hover and for screen readers). */
export function RiskCell({ user }: { user: UserSummaryDto }) {
  const [worst, ...rest] = user.riskReasons
  if (!worst) return <span className="muted">—</span>
  const all = user.riskReasons.map((r) => riskLabel(r, user)).join('; ')
  return (
    <span className={styles.cell} title={all}>
      <span className={styles.worst}>{riskLabel(worst, user)}</span>
      {rest.length > 0 && (
        <>
          {' '}
          <span className={styles.more} aria-hidden="true">
            +{rest.length} more
          </span>
          <span className="visually-hidden">
            {`, also: ${rest.map((r) => riskLabel(r, user)).join('; ')}`}
          </span>
        </>
      )}
    </span>
  )
}

/** The user's page: every reason, worst first, with what to do about each. */
export function RiskPanel({ user }: { user: UserSummaryDto }) {
  if (user.riskReasons.length === 0) return null
  return (
    <Panel title="At risk">
      <ol className={styles.reasons}>
        {user.riskReasons.map((r) => (
          <li key={r}>
            <strong className={styles.worst}>{riskLabel(r, user)}.</strong> {riskAdvice(r, user)}
          </li>
        ))}
      </ol>
    </Panel>
  )
}
