import { useEffect, useRef, useState, type RefObject } from 'react'
import { useTranslation } from 'react-i18next'
import type { SessionUser } from '../../../../shared/dto'
import { messageOf } from '../../api'
import { useLiveUpdates } from '../../session/live'
import { isManager, isOwnerOfSettings, isReader } from '../../session/roles'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { AuditPage } from '../audit/AuditPage'
import { BackupCodesNotice } from '../auth/BackupCodesNotice'
import { useIdleLock } from '../auth/useIdleLock'
import { DashboardPage } from '../dashboard/DashboardPage'
import { ProfilePage } from '../profile/ProfilePage'
import { useLiveRecoveryCount } from '../recovery/queries'
import { RecoveryPage } from '../recovery/RecoveryPage'
import { RecoveryRequestPage } from '../recovery/RecoveryRequestPage'
import { SettingsPage } from '../settings/SettingsPage'
import { abandonEnrollment } from '../two-factor/queries'
import { UserPage } from '../users/UserPage'
import { UsersPage } from '../users/UsersPage'
import { GraceBanner } from './GraceBanner'
import { SmsSetupBanner } from './SmsSetupBanner'
import { NavigationContext, type Route } from './navigation'
import { OverviewPage } from './OverviewPage'
import { useLockSession, useLogout, useTouchSession } from './queries'
import styles from './Shell.module.css'

type Page = Route['page']
type Audience = 'everyone' | 'readers' | 'managers'
type Label = 'dashboard' | 'overview' | 'users' | 'recovery' | 'profile' | 'audit' | 'settings'

/** The navigation's entries; each label is a key of the `shell` catalog's `nav`. */
const pages: { id: Page; label: Label; audience: Audience }[] = [
  { id: 'home', label: 'dashboard', audience: 'readers' },
  { id: 'home', label: 'overview', audience: 'everyone' },
  { id: 'users', label: 'users', audience: 'readers' },
  { id: 'recovery', label: 'recovery', audience: 'readers' },
  { id: 'profile', label: 'profile', audience: 'everyone' },
  { id: 'audit', label: 'audit', audience: 'managers' },
  { id: 'settings', label: 'settings', audience: 'managers' },
]

function visiblePages(user: SessionUser) {
  const allowed = (a: Audience): boolean =>
    a === 'everyone' || (a === 'readers' ? isReader(user) : isManager(user))
  // Readers get the dashboard as their home page, members the overview.
  return pages.filter((p) => allowed(p.audience) && !(p.label === 'overview' && isReader(user)))
}

function CurrentPage({
  route,
  user,
  justSignedIn,
}: {
  route: Route
  user: SessionUser
  justSignedIn: boolean
}) {
  const reader = isReader(user)
  switch (route.page) {
    case 'home':
      return reader ? <DashboardPage user={user} /> : <OverviewPage user={user} justSignedIn={justSignedIn} />
    case 'users':
      return reader ? (
        <UsersPage user={user} {...(route.filter ? { initialFilter: route.filter } : {})} />
      ) : null
    case 'user':
      return reader ? <UserPage actor={user} userId={route.userId} /> : null
    case 'recovery':
      return reader ? <RecoveryPage {...(route.filter ? { initialFilter: route.filter } : {})} /> : null
    case 'recovery-request':
      return reader ? <RecoveryRequestPage requestId={route.requestId} /> : null
    case 'profile':
      return <ProfilePage user={user} />
    case 'audit':
      return isManager(user) ? <AuditPage owner={isOwnerOfSettings(user)} /> : null
    case 'settings':
      return isManager(user) ? (
        <SettingsPage user={user} {...(route.section ? { initialSection: route.section } : {})} />
      ) : null
  }
}

/**
 * On every page change (and on arrival), focus moves to the new page's heading, so a screen reader reads
 * where the person is and Tab continues from there. Pages that read their data first draw the heading a
 * moment later: it is waited for, briefly.
 */
function useFocusPageHeading(content: RefObject<HTMLElement | null>, route: Route): void {
  const key = JSON.stringify(route)
  useEffect(() => {
    const main = content.current
    if (!main) return
    const focus = (): boolean => {
      const h1 = main.querySelector<HTMLElement>('h1')
      if (!h1) return false
      // A field the page focused itself (a dialog, a search box) keeps focus.
      if (main.contains(document.activeElement) && document.activeElement !== main) return true
      h1.tabIndex = -1
      h1.focus()
      return true
    }
    if (focus()) return
    const observer = new MutationObserver(() => {
      if (focus()) observer.disconnect()
    })
    observer.observe(main, { childList: true, subtree: true })
    const stop = setTimeout(() => observer.disconnect(), 3_000)
    return () => {
      observer.disconnect()
      clearTimeout(stop)
    }
  }, [content, key])
}

/** The signed-in console: header, navigation, the current page, and the idle lock around it all. */
export function Shell({
  user,
  idleLockMinutes,
  backupCodesLeft = null,
  onDismissBackupCodesLeft = () => {},
  twoFactorDueAt,
}: {
  user: SessionUser
  idleLockMinutes: number
  backupCodesLeft?: number | null
  onDismissBackupCodesLeft?: () => void
  /** Set inside a grace period: the person must set up 2FA before then. */
  twoFactorDueAt?: number | undefined
}) {
  const { t } = useTranslation(['shell', 'common'])
  const lockSession = useLockSession()
  const logout = useLogout()
  const touch = useTouchSession()
  const [route, setRoute] = useState<Route>({ page: 'home' })
  const [busy, setBusy] = useState<'lock' | 'logout' | null>(null)
  const visible = visiblePages(user)
  // A user's page belongs under Users in the navigation, a request's under Recovery.
  const section: Page =
    route.page === 'user' ? 'users' : route.page === 'recovery-request' ? 'recovery' : route.page
  const liveRecovery = useLiveRecoveryCount(isReader(user))
  useLiveUpdates()
  const content = useRef<HTMLElement>(null)
  useFocusPageHeading(content, route)

  // Already locked or signed out elsewhere: the hook reads the session again, which shows whatever main says.
  const lock = (reason: 'manual' | 'idle'): Promise<unknown> =>
    lockSession.mutateAsync(reason).catch(() => undefined)

  useIdleLock({
    idleMinutes: idleLockMinutes,
    onActive: () => touch.mutate(),
    onIdle: () => void lock('idle'),
  })

  const run = async (what: 'lock' | 'logout'): Promise<void> => {
    setBusy(what)
    logout.reset()
    // An enrollment left open in My profile ends with the session; main records it as abandoned.
    await abandonEnrollment()
    if (what === 'lock') await lock('manual')
    else await logout.mutateAsync().catch(() => setBusy(null))
  }

  return (
    <div className={styles.shell}>
      <header className={styles.topbar}>
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            {t('brand').charAt(0)}
          </span>{' '}
          {t('brand')}
        </div>
        <div className={styles.user}>
          <span className={styles.userName}>{user.name}</span>
          <span className="badge">{t(`common:role.${user.role}`)}</span>
          <Button variant="secondary" onClick={() => void run('lock')} busy={busy === 'lock'}>
            {t('lockNow')}
          </Button>
          <Button variant="ghost" onClick={() => void run('logout')} busy={busy === 'logout'}>
            {t('logOut')}
          </Button>
        </div>
      </header>
      <div className={styles.body}>
        <nav aria-label={t('nav.label')} className={styles.sidenav}>
          <ul>
            {visible.map((p) => (
              <li key={p.id}>
                <button
                  type="button"
                  className={styles.navItem}
                  aria-current={section === p.id ? 'page' : undefined}
                  aria-label={
                    p.id === 'recovery' && liveRecovery.data
                      ? t('nav.waiting', { page: t(`nav.${p.label}`), count: liveRecovery.data })
                      : undefined
                  }
                  onClick={() => setRoute({ page: p.id } as Route)}
                >
                  {t(`nav.${p.label}`)}
                  {/* A word apart, so the name ("Recovery, 2 waiting") holds the visible text ("Recovery 2"). */}
                  {p.id === 'recovery' && !!liveRecovery.data && ' '}
                  {p.id === 'recovery' && !!liveRecovery.data && (
                    <span className={`badge ${styles.navBadge}`} aria-hidden="true">
                      {liveRecovery.data}
                    </span>
                  )}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <main className={styles.content} ref={content}>
          <Alert>{logout.isError ? messageOf(logout.error) : null}</Alert>
          {backupCodesLeft !== null && (
            <BackupCodesNotice
              remaining={backupCodesLeft}
              account={user.email}
              onDismiss={onDismissBackupCodesLeft}
            />
          )}
          {isManager(user) && (
            <SmsSetupBanner onSetUp={() => setRoute({ page: 'settings', section: 'sms' })} />
          )}
          {twoFactorDueAt !== undefined && (
            <GraceBanner dueAt={twoFactorDueAt} onSetUp={() => setRoute({ page: 'profile' })} />
          )}
          <NavigationContext value={setRoute}>
            {/* Keyed by route, so a dashboard figure opens a fresh Users page with its filter. */}
            <CurrentPage
              key={JSON.stringify(route)}
              route={route}
              user={user}
              justSignedIn={backupCodesLeft !== null}
            />
          </NavigationContext>
        </main>
      </div>
    </div>
  )
}
