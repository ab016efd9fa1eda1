import { useQueryClient } from '@tanstack/react-query'
import { useEffect, type ReactNode } from 'react'
import type { SessionUser } from '../../../../shared/dto'
import { messageOf } from '../../api'
import { Alert } from '../../ui/Alert'
import { EventList } from '../../ui/EventList'
import { Panel } from '../../ui/Layout'
import { useNavigate, type Route } from '../shell/navigation'
import { prefetchUsers, type UserFilter } from '../users/queries'
import { BackupCodeChart } from './BackupCodeChart'
import { useDashboard } from './queries'

const percent = (part: number, whole: number): string =>
  whole === 0 ? '—' : `${Math.round((part / whole) * 100)}%`

/** A figure that opens the Users page with the matching filter (or, given `to`, another page). */
function Figure({
  label,
  value,
  filter,
  to = { page: 'users', filter },
  action = 'Show these users',
  detail,
  tone,
}: {
  label: string
  value: string | number
  filter?: UserFilter
  to?: Route
  action?: string
  detail?: ReactNode
  tone?: 'warn'
}) {
  const navigate = useNavigate()
  return (
    <div className={tone ? `figure figure-${tone}` : 'figure'}>
      <span className="figure-label">{label}</span>
      <button
        type="button"
        className="figure-value"
        aria-label={`${label}: ${value}. ${action}`}
        onClick={() => navigate(to)}
      >
        {value}
      </button>
      {detail && <span className="figure-detail">{detail}</span>}
    </div>
  )
}

/** What an owner, admin or support agent sees first: adoption, risk, locks, invitations, backup-code use. */
export function DashboardPage({ user }: { user: SessionUser }) {
  const dashboard = useDashboard()
  const d = dashboard.data
  const client = useQueryClient()
  const shown = d !== undefined
  useEffect(() => {
    if (!shown) return
    // The Users page is the usual next stop: fetch its first rows once the figures are on screen.
    const timer = setTimeout(() => void prefetchUsers(client), 0)
    return () => clearTimeout(timer)
  }, [shown, client])
  return (
    <div className="page">
      <h1>Welcome, {user.name}</h1>
      <p className="muted">Two-factor authentication across your account at a glance.</p>
      {dashboard.isPending && <p className="muted">Loading…</p>}
      {dashboard.isError && <Alert>{messageOf(dashboard.error)}</Alert>}
      {d && (
        <>
          <section aria-label="Figures" className="figures">
            <Figure
              label="2FA adoption"
              value={`${d.enrolled} / ${d.users}`}
              filter="enrolled"
              detail={`${percent(d.enrolled, d.users)} of users enrolled`}
            />
            <Figure
              label="Required but not enrolled"
              value={d.required - d.requiredEnrolled}
              filter="required"
              detail={`${d.requiredEnrolled} / ${d.required} required users enrolled`}
              {...(d.required > d.requiredEnrolled ? { tone: 'warn' as const } : {})}
            />
            <Figure
              label="At risk"
              value={d.atRisk}
              filter="at-risk"
              detail="0–1 backup codes left or no emergency phone"
              {...(d.atRisk > 0 ? { tone: 'warn' as const } : {})}
            />
            <Figure
              label="Locked"
              value={d.locked}
              filter="locked"
              {...(d.locked > 0 ? { tone: 'warn' as const } : {})}
            />
            <Figure label="Pending invitations" value={d.pendingInvitations} filter="invited" />
            <Figure
              label="Open recovery requests"
              value={d.openRecoveryRequests}
              to={{ page: 'recovery' }}
              action="Open the Recovery queue"
              detail="Waiting for support"
              {...(d.openRecoveryRequests > 0 ? { tone: 'warn' as const } : {})}
            />
          </section>
          <Panel title="Backup codes used per week">
            <BackupCodeChart weeks={d.backupCodesUsedPerWeek} />
          </Panel>
          <Panel title="Recent security events">
            <EventList events={d.recentEvents} label="Recent security events" />
          </Panel>
        </>
      )}
    </div>
  )
}
