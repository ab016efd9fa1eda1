import { useState } from 'react'
import type { SessionUser } from '../../../../shared/dto'
import { api, messageOf, unwrap } from '../../api'
import { useSessionUpdate } from '../../session/queries'
import { isManager, roleLabel } from '../../session/roles'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { AuditPage } from '../audit/AuditPage'
import { BackupCodesNotice } from '../auth/BackupCodesNotice'
import { useIdleLock } from '../auth/useIdleLock'
import { ProfilePage } from '../profile/ProfilePage'
import { SettingsPage } from '../settings/SettingsPage'
import { abandonEnrollment } from '../two-factor/queries'
import { OverviewPage } from './OverviewPage'

type Page = 'overview' | 'profile' | 'audit' | 'settings'

const pages: { id: Page; label: string; managersOnly: boolean }[] = [
  { id: 'overview', label: 'Overview', managersOnly: false },
  { id: 'profile', label: 'My profile', managersOnly: false },
  { id: 'audit', label: 'Audit log', managersOnly: true },
  { id: 'settings', label: 'Settings', managersOnly: true },
]

/** The signed-in console: header, navigation, the current page, and the idle lock around it all. */
export function Shell({
  user,
  idleLockMinutes,
  backupCodesLeft = null,
  onDismissBackupCodesLeft = () => {},
}: {
  user: SessionUser
  idleLockMinutes: number
  backupCodesLeft?: number | null
  onDismissBackupCodesLeft?: () => void
}) {
  const { set, refresh } = useSessionUpdate()
  const [page, setPage] = useState<Page>('overview')
  const [busy, setBusy] = useState<'lock' | 'logout' | null>(null)
  const [alert, setAlert] = useState<string | null>(null)
  const visible = pages.filter((p) => !p.managersOnly || isManager(user))

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
                  aria-current={page === p.id ? 'page' : undefined}
                  onClick={() => setPage(p.id)}
                >
                  {p.label}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <main className="content">
          <Alert>{alert}</Alert>
          {backupCodesLeft !== null && (
            <BackupCodesNotice remaining={backupCodesLeft} onDismiss={onDismissBackupCodesLeft} />
          )}
          {page === 'overview' && <OverviewPage user={user} />}
          {page === 'profile' && <ProfilePage user={user} />}
          {page === 'audit' && isManager(user) && <AuditPage />}
          {page === 'settings' && isManager(user) && <SettingsPage />}
        </main>
      </div>
    </div>
  )
}
