import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { SessionUser } from '../../../../shared/dto'
import { messageOf } from '../../api'
import { Alert } from '../../ui/Alert'
import { EventList } from '../../ui/EventList'
import { Panel } from '../../ui/Layout'
import { useNavigate, type Route } from '../shell/navigation'
import { currentLocale } from '../../format/time'
import type { UserFilter } from '../users/queries'
import { BackupCodeChart } from './BackupCodeChart'
import { useDashboard, usePrefetchUsersOnceShown } from './queries'
import styles from './Dashboard.module.css'

/** A share as the locale writes percentages ("24%", "24 %"); a dash when there is nothing to share. */
const percent = (part: number, whole: number): string =>
  whole === 0
    ? '—'
    : new Intl.NumberFormat(currentLocale(), { style: 'percent', maximumFractionDigits: 0 }).format(
        part / whole,
      )

/** A count in the locale's digits. */
const number = (n: number): string => n.toLocaleString(currentLocale())

/** A figure that opens the Users page with the matching filter (or, given `to`, another page). */
function Figure({
  label,
  value,
  filter,
  to = { page: 'users', filter },
  action,
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
  const { t } = useTranslation('dashboard')
  const navigate = useNavigate()
  return (
    <div className={tone ? `${styles.figure} ${styles[tone]}` : styles.figure}>
      <span className={styles.label}>{label}</span>
      <button
        type="button"
        className={styles.value}
        aria-label={t('figureLabel', { label, value, action: action ?? t('showUsers') })}
        onClick={() => navigate(to)}
      >
        {value}
      </button>
      {detail && <span className={styles.detail}>{detail}</span>}
    </div>
  )
}

/** What an owner, admin or support agent sees first: adoption, risk, locks, invitations, backup-code use. */
export function DashboardPage({ user }: { user: SessionUser }) {
  const { t } = useTranslation('dashboard')
  const dashboard = useDashboard()
  const d = dashboard.data
  usePrefetchUsersOnceShown(d !== undefined)
  return (
    <div className="page">
      <h1>{t('welcome', { name: user.name })}</h1>
      <p className="muted">{t('intro')}</p>
      {dashboard.isPending && <p className="muted">{t('loading')}</p>}
      {dashboard.isError && <Alert>{messageOf(dashboard.error)}</Alert>}
      {d && (
        <>
          <section aria-label={t('figures')} className={styles.figures}>
            <Figure
              label={t('adoption.label')}
              value={t('ofTotal', { part: d.enrolled, whole: d.users })}
              filter="enrolled"
              detail={t('adoption.detail', { percent: percent(d.enrolled, d.users) })}
            />
            <Figure
              label={t('required.label')}
              value={number(d.required - d.requiredEnrolled)}
              filter="required"
              detail={t('required.detail', { enrolled: d.requiredEnrolled, required: d.required })}
              {...(d.required > d.requiredEnrolled ? { tone: 'warn' as const } : {})}
            />
            <Figure
              label={t('atRisk.label')}
              value={number(d.atRisk)}
              filter="at-risk"
              detail={t('atRisk.detail')}
              {...(d.atRisk > 0 ? { tone: 'warn' as const } : {})}
            />
            <Figure
              label={t('locked')}
              value={number(d.locked)}
              filter="locked"
              {...(d.locked > 0 ? { tone: 'warn' as const } : {})}
            />
            <Figure label={t('invitations')} value={number(d.pendingInvitations)} filter="invited" />
            <Figure
              label={t('recovery.label')}
              value={number(d.openRecoveryRequests)}
              to={{ page: 'recovery' }}
              action={t('openRecovery')}
              detail={t('recovery.detail')}
              {...(d.openRecoveryRequests > 0 ? { tone: 'warn' as const } : {})}
            />
          </section>
          <Panel title={t('chart.panel')}>
            <BackupCodeChart weeks={d.backupCodesUsedPerWeek} />
          </Panel>
          <Panel title={t('events')}>
            <EventList events={d.recentEvents} label={t('events')} />
          </Panel>
        </>
      )}
    </div>
  )
}
