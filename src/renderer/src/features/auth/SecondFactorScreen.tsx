import { useState } from 'react'
import { useForm } from 'react-hook-form'
import type { RecoveryFiledDto, SessionUser } from '../../../../shared/dto'
import { backupCodeSchema, totpCodeSchema } from '../../../../shared/schemas'
import { api, isSessionGone, messageOf, unwrap } from '../../api'
import { useSessionUpdate } from '../../session/queries'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { Field } from '../../ui/Field'
import { AuthLayout } from '../../ui/Layout'
import { AppCodeField } from '../two-factor/AppCodeField'
import { AccessCodeEntry } from './AccessCodeEntry'
import { AskSupport } from './AskSupport'
import { LostDevice } from './LostDevice'

/** The app code (or a backup code), or one of the ways back in without the device. */
type Mode = 'factor' | 'lost' | 'support' | 'access-code'

const intros: Record<Exclude<Mode, 'factor'>, string> = {
  lost: 'Lost the phone with your authenticator app?',
  support: 'Ask support to help you back into your account.',
  'access-code': 'Enter the temporary access code support gave you.',
}

/**
 * The second login step: the app code, or a backup code instead. Every refusal (wrong, replayed, no codes
 * left, throttled, locked) is main's message in the alert region.
 */
export function SecondFactorScreen({
  user,
  onBackupCodeUsed,
  onRecoveredBySms,
  onRecoveryFiled,
}: {
  user: SessionUser
  /** After a backup-code login: how many are left, for the notice in the console. */
  onBackupCodeUsed: (remaining: number) => void
  /** "I lost my device" (SMS) or support's access code worked: the enrollment that follows says why. */
  onRecoveredBySms: () => void
  /** "Ask support for help" filed a request: main signed the attempt out; show the confirmation. */
  onRecoveryFiled: (filed: RecoveryFiledDto) => void
}) {
  const { set, refresh } = useSessionUpdate()
  const [backup, setBackup] = useState(false)
  const [mode, setMode] = useState<Mode>('factor')
  const [alert, setAlert] = useState<string | null>(null)
  const [signingOut, setSigningOut] = useState(false)
  const { register, handleSubmit, formState, resetField, setError, setFocus, clearErrors } = useForm<{
    factor: string
  }>({ defaultValues: { factor: '' } })

  const onSubmit = handleSubmit(async ({ factor }) => {
    setAlert(null)
    const checked = (backup ? backupCodeSchema : totpCodeSchema).safeParse(factor)
    if (!checked.success) {
      setError('factor', { message: checked.error.issues[0]?.message ?? 'Enter the code' })
      return
    }
    try {
      const result = await unwrap(
        api().auth.verifySecondFactor(backup ? { backupCode: checked.data } : { code: checked.data }),
      )
      if (result.backupCodesRemaining !== null) onBackupCodeUsed(result.backupCodesRemaining)
      await refresh()
    } catch (e) {
      setAlert(messageOf(e))
      if (isSessionGone(e)) await refresh()
      setFocus('factor')
    } finally {
      resetField('factor', { defaultValue: '', keepError: true })
    }
  })

  const show = (next: Mode): void => {
    setMode(next)
    setAlert(null)
    clearErrors('factor')
    resetField('factor', { defaultValue: '' })
  }

  const toggle = (): void => {
    setBackup((b) => !b)
    setAlert(null)
    clearErrors('factor')
    resetField('factor', { defaultValue: '' })
    setFocus('factor')
  }

  const signOut = async (): Promise<void> => {
    setSigningOut(true)
    try {
      set(await unwrap(api().auth.logout()))
    } catch (e) {
      setAlert(messageOf(e))
      setSigningOut(false)
    }
  }

  const error = formState.errors.factor?.message
  const signOutButton = (
    <Button variant="ghost" onClick={() => void signOut()} busy={signingOut}>
      Sign out
    </Button>
  )
  const link = (to: Mode, label: string) => (
    <Button variant="ghost" className="link-button" onClick={() => show(to)}>
      {label}
    </Button>
  )
  return (
    <AuthLayout
      title="Two-factor authentication"
      intro={
        <p>
          Signing in as <strong>{user.email}</strong>.{' '}
          {mode !== 'factor'
            ? intros[mode]
            : backup
              ? 'Enter one of your backup codes. Each code works once.'
              : 'Enter the 6-digit code from your authenticator app.'}
        </p>
      }
    >
      {mode === 'factor' ? (
        <form onSubmit={onSubmit} noValidate className="form">
          <Alert>{alert}</Alert>
          {backup ? (
            <Field
              key="backup"
              label="Backup code"
              hint="Like 7KQ2M-XD94P"
              autoComplete="off"
              spellCheck={false}
              autoCapitalize="characters"
              className="mono"
              autoFocus
              {...register('factor')}
              error={error}
            />
          ) : (
            <AppCodeField key="app" label="6-digit code" autoFocus {...register('factor')} error={error} />
          )}
          <Button type="submit" busy={formState.isSubmitting}>
            {formState.isSubmitting ? 'Checking…' : 'Verify'}
          </Button>
          <div className="form-actions">
            <Button variant="ghost" className="link-button" onClick={toggle}>
              {backup ? 'Use the authenticator app instead' : 'Use a backup code instead'}
            </Button>
            {link('lost', 'I lost my device')}
            {link('access-code', 'I have a temporary access code from support')}
            {signOutButton}
          </div>
        </form>
      ) : (
        <>
          {mode === 'lost' && (
            <>
              <LostDevice onRecovered={onRecoveredBySms} />
              <div className="form recovery-ways">
                <p className="muted">No emergency phone, or no longer have it?</p>
                <div className="form-actions">
                  <Button variant="secondary" onClick={() => show('support')}>
                    Ask support for help
                  </Button>
                  {link('access-code', 'I have a temporary access code from support')}
                </div>
              </div>
            </>
          )}
          {mode === 'support' && <AskSupport onFiled={onRecoveryFiled} />}
          {mode === 'access-code' && <AccessCodeEntry onAccepted={onRecoveredBySms} />}
          <div className="form-actions auth-footer">
            {link('factor', 'Use the authenticator app or a backup code')}
            {mode !== 'lost' && link('lost', 'Other ways back in')}
            {signOutButton}
          </div>
        </>
      )}
    </AuthLayout>
  )
}
