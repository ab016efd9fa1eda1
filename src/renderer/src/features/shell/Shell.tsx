import { useEffect, useRef, useState, type RefObject } from 'react'
import type { SessionUser } from '../../../../shared/dto'
import { api, messageOf, unwrap } from '../../api'
import { useLiveUpdates } from '../../session/live'
import { useSessionUpdate } from '../../session/queries'
import { isManager, isOwnerOfSettings, isReader, roleLabel } from '../../session/roles'
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

type Page = Route['page']
type Audience = 'everyone' | 'readers' | 'managers'

const pages: { id: Page; label: string; audience: Audience }[] = [
  { id: 'home', label: 'Dashboard', audience: 'readers' },
  { id: 'home', label: 'Overview', audience: 'everyone' },
  { id: 'users', label: 'Users', audience: 'readers' },
  { id: 'recovery', label: 'Recovery', audience: 'readers' },
  { id: 'profile', label: 'My profile', audience: 'everyone' },
  { id: 'audit', label: 'Audit log', audience: 'managers' },
  { id: 'settings', label: 'Settings', audience: 'managers' },
]

function visiblePages(user: SessionUser) {
  const allowed = (a: Audience): boolean =>
    a === 'everyone' || (a === 'readers' ? isReader(user) : isManager(user))
  // Readers get the dashboard as their home page, members the overview.
  return pages.filter((p) => allowed(p.audience) && !(p.label === 'Overview' && isReader(user)))
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
  const { set, refresh } = useSessionUpdate()
  const [route, setRoute] = useState<Route>({ page: 'home' })
  const [busy, setBusy] = useState<'lock' | 'logout' | null>(null)
  const [alert, setAlert] = useState<string | null>(null)
  const visible = visiblePages(user)
  // A user's page belongs under Users in the navigation, a request's under Recovery.
  const section: Page =
    route.page === 'user' ? 'users' : route.page === 'recovery-request' ? 'recovery' : route.page
  const liveRecovery = useLiveRecoveryCount(isReader(user))
  useLiveUpdates()
  const content = useRef<HTMLElement>(null)
  useFocusPageHeading(content, route)

  const lock = async (reason: 'manual' | 'idle'): Promise<void> => {
    try {
      set(await unwrap(api().auth.lock({ reason })))
    } catch {
      // Already locked or signed out elsewhere: show whatever main says now.
      await refresh()
    }
  }

  useIdleLock({
    idleMinutes: idleLockMinutes,
    onActive: () => {
      void api()
        .session.touch()
        .then((r) => (r.ok ? set(r.value) : refresh()))
    },
    onIdle: () => void lock('idle'),
  })

  const run = async (what: 'lock' | 'logout'): Promise<void> => {
    setBusy(what)
    setAlert(null)
    // An enrollment left open in My profile ends with the session; main records it as abandoned.
    await abandonEnrollment()
    try {
      if (what === 'lock') await lock('manual')
      else set(await unwrap(api().auth.logout()))
    } catch (e) {
      setAlert(messageOf(e))
      setBusy(null)
    }
  }

  return (
    <div className="shell">
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            T
          </span>{' '}
          Tessera
        </div>
        <div className="topbar-user">
          <span className="user-name">{user.name}</span>
          <span className="badge">{roleLabel[user.role]}</span>
          <Button variant="secondary" onClick={() => void run('lock')} busy={busy === 'lock'}>
            Lock now
          </Button>
          <Button variant="ghost" onClick={() => void run('logout')} busy={busy === 'logout'}>
            Log out
          </Button>
        </div>
      </header>
      <div className="shell-body">
        <nav aria-label="Main" className="sidenav">
          <ul>
            {visible.map((p) => (
              <li key={p.id}>
                <button
                  type="button"
                  className="nav-item"
                  aria-current={section === p.id ? 'page' : undefined}
                  aria-label={
                    p.id === 'recovery' && liveRecovery.data
                      ? `${p.label}, ${liveRecovery.data} waiting`
                      : undefined
                  }
                  onClick={() => setRoute({ page: p.id } as Route)}
                >
                  {p.label}
                  {/* A word apart, so the name ("Recovery, 2 waiting") holds the visible text ("Recovery 2"). */}
                  {p.id === 'recovery' && !!liveRecovery.data && ' '}
                  {p.id === 'recovery' && !!liveRecovery.data && (
                    <span className="badge nav-badge" aria-hidden="true">
                      {liveRecovery.data}
                    </span>
                  )}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <main className="content" ref={content}>
          <Alert>{alert}</Alert>
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
