import type { SessionState } from '../../shared/dto'
import { messageOf } from './api'
import { LockedScreen } from './features/auth/LockedScreen'
import { LoginScreen } from './features/auth/LoginScreen'
import { UnsupportedStep } from './features/auth/UnsupportedStep'
import { DatabaseErrorScreen } from './features/database/DatabaseErrorScreen'
import { DatabasePassphraseScreen } from './features/database/DatabasePassphraseScreen'
import { SetupScreen } from './features/setup/SetupScreen'
import { Shell } from './features/shell/Shell'
import { useSessionState } from './session/queries'
import { Button } from './ui/Button'
import { AuthLayout } from './ui/Layout'

function Screen({ state, retry, retrying }: { state: SessionState; retry: () => void; retrying: boolean }) {
  switch (state.phase) {
    case 'needs-setup':
      return <SetupScreen keychainAvailable={state.keychainAvailable} />
    case 'needs-db-passphrase':
      return <DatabasePassphraseScreen />
    case 'db-error':
      return (
        <DatabaseErrorScreen code={state.code} message={state.message} onRetry={retry} retrying={retrying} />
      )
    case 'signed-out':
      return <LoginScreen />
    case 'locked':
      return <LockedScreen user={state.user} />
    case 'signed-in':
      return <Shell user={state.user} idleLockMinutes={state.idleLockMinutes} />
    default:
      // A login step this build has no screen for yet (see features/auth/UnsupportedStep).
      return <UnsupportedStep phase={state.phase} />
  }
}

/** One screen per session phase, as main reports it. */
export function App() {
  const state = useSessionState()
  const retry = (): void => void state.refetch()
  if (state.isPending) {
    return (
      <main className="auth-page" aria-busy="true">
        <p className="muted">Starting Tessera…</p>
      </main>
    )
  }
  if (state.isError) {
    return (
      <AuthLayout title="Tessera is not responding">
        <div role="alert" className="alert alert-error">
          {messageOf(state.error)}
        </div>
        <Button onClick={retry}>Try again</Button>
      </AuthLayout>
    )
  }
  // Keyed by phase (and user) so no typed value survives a change of screen.
  const key = `${state.data.phase}:${'user' in state.data ? state.data.user.id : ''}`
  return <Screen key={key} state={state.data} retry={retry} retrying={state.isFetching} />
}
