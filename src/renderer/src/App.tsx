import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { RecoveryFiledDto, SessionState, SessionUser } from '../../shared/dto'
import { messageOf } from './api'
import { EnrollRequiredScreen } from './features/auth/EnrollRequiredScreen'
import { LockedScreen } from './features/auth/LockedScreen'
import { LoginScreen } from './features/auth/LoginScreen'
import { RecoveryFiledScreen } from './features/auth/RecoveryFiledScreen'
import { SecondFactorScreen } from './features/auth/SecondFactorScreen'
import { DatabaseErrorScreen } from './features/database/DatabaseErrorScreen'
import { DatabasePassphraseScreen } from './features/database/DatabasePassphraseScreen'
import { SetupScreen } from './features/setup/SetupScreen'
import { Shell } from './features/shell/Shell'
import { sessionKeys, useSessionState, useSessionUpdate } from './session/queries'
import { Button } from './ui/Button'
import { AuthLayout } from './ui/Layout'
import { useAppliedTheme } from './theme/theme'
import { osLanguage, useLanguage } from './i18n'
import { usePreferences } from './features/profile/queries'

/** What carries over from one login screen to the next (never a secret). */
interface LoginFlow {
  /** After a backup-code login: how many codes are left, shown once in the console. */
  backupCodesLeft: number | null
  setBackupCodesLeft: (n: number | null) => void
  /** Enrollment that completes a login keeps its screen until the codes are saved and the phone step done. */
  holdEnrollment: (user: SessionUser | null) => void
  finishEnrollment: () => void
  /**
   * The login went through "I lost my device" (or a temporary access code from support): the enrollment
   * screen says why it is there.
   */
  recoveredBySms: boolean
  setRecoveredBySms: (v: boolean) => void
  /** "Ask support for help" filed a request (and main signed the attempt out). */
  fileRecovery: (filed: RecoveryFiledDto) => void
}

function Screen({
  state,
  retry,
  retrying,
  flow,
}: {
  state: SessionState
  retry: () => void
  retrying: boolean
  flow: LoginFlow
}) {
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
      return <LoginScreen onRecoveredWithAccessCode={() => flow.setRecoveredBySms(true)} />
    case 'second-factor':
      return (
        <SecondFactorScreen
          user={state.user}
          emergencyPhone={state.emergencyPhone}
          onBackupCodeUsed={flow.setBackupCodesLeft}
          onRecoveredBySms={() => flow.setRecoveredBySms(true)}
          onRecoveryFiled={flow.fileRecovery}
        />
      )
    case 'enroll-required':
      return (
        <EnrollRequiredScreen
          user={state.user}
          recoveredBySms={flow.recoveredBySms}
          onCodesShown={() => flow.holdEnrollment(state.user)}
          onFinished={flow.finishEnrollment}
        />
      )
    case 'locked':
      return <LockedScreen user={state.user} />
    case 'signed-in':
      return (
        <Shell
          user={state.user}
          idleLockMinutes={state.idleLockMinutes}
          backupCodesLeft={flow.backupCodesLeft}
          onDismissBackupCodesLeft={() => flow.setBackupCodesLeft(null)}
          twoFactorDueAt={state.twoFactorDueAt}
        />
      )
  }
}

/** One screen per session phase, as main reports it. */
export function App() {
  const { t } = useTranslation('ui')
  const state = useSessionState()
  const { refresh } = useSessionUpdate()
  const queryClient = useQueryClient()
  const [backupCodesLeft, setBackupCodesLeft] = useState<number | null>(null)
  const [heldEnrollment, holdEnrollment] = useState<SessionUser | null>(null)
  const [recoveredBySms, setRecoveredBySms] = useState(false)
  const [recoveryFiled, setRecoveryFiled] = useState<RecoveryFiledDto | null>(null)
  const retry = (): void => void state.refetch()
  const phase = state.data?.phase
  // A signed-in person's own language and theme; until then (and after sign-out) the OS's.
  const preferences = usePreferences(phase === 'signed-in' || phase === 'enroll-required')
  useAppliedTheme(preferences.data?.theme ?? 'system')
  useLanguage(preferences.data?.language ?? osLanguage())

  useEffect(() => {
    if (phase === 'signed-out') {
      setBackupCodesLeft(null)
      holdEnrollment(null)
      setRecoveredBySms(false)
      // Nothing one person's session read (2FA status, audit pages…) may show in the next one's.
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== sessionKeys.state[0] })
    }
  }, [phase, queryClient])

  if (state.isPending) {
    return (
      <main className="auth-page" aria-busy="true">
        <p className="muted">{t('app.starting')}</p>
      </main>
    )
  }
  if (state.isError) {
    return (
      <AuthLayout title={t('app.notResponding')}>
        <div role="alert" className="alert alert-error">
          {messageOf(state.error)}
        </div>
        <Button onClick={retry}>{t('app.tryAgain')}</Button>
      </AuthLayout>
    )
  }
  // The confirmation of a support request stands in for sign-in until the person dismisses it.
  if (recoveryFiled && state.data.phase === 'signed-out') {
    return <RecoveryFiledScreen filed={recoveryFiled} onBack={() => setRecoveryFiled(null)} />
  }
  // A just-finished required enrollment stays on screen (backup codes, then the emergency phone step) even
  // once main reports the session signed in: a refetch must not sweep it away before the wizard is done.
  const data: SessionState =
    heldEnrollment && state.data.phase === 'signed-in' && state.data.user.id === heldEnrollment.id
      ? { phase: 'enroll-required', user: heldEnrollment }
      : state.data
  const flow: LoginFlow = {
    backupCodesLeft,
    setBackupCodesLeft,
    holdEnrollment,
    recoveredBySms,
    setRecoveredBySms,
    fileRecovery: setRecoveryFiled,
    finishEnrollment: () => {
      holdEnrollment(null)
      setRecoveredBySms(false)
      void refresh()
    },
  }
  // Keyed by phase (and user) so no typed value survives a change of screen.
  const key = `${data.phase}:${'user' in data ? data.user.id : ''}`
  return <Screen key={key} state={data} retry={retry} retrying={state.isFetching} flow={flow} />
}
