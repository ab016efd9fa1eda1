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
import { StepHeading } from '../../ui/StepHeading'
import { AppCodeField } from '../two-factor/AppCodeField'
import { AccessCodeEntry } from './AccessCodeEntry'
import { AskSupport } from './AskSupport'
import { HavingTrouble, type TroubleChoice } from './HavingTrouble'
import { LostDevice } from './LostDevice'

/** The app code (first), a backup code, or one of the ways back in without the device. */
type Mode = 'app' | 'backup' | 'sms' | 'support' | 'access-code'

const stepTitles: Record<Exclude<Mode, 'app' | 'backup'>, string> = {
  sms: 'Use your emergency phone',
  support: 'Ask support for help',
  'access-code': 'Enter your temporary access code',
}

/**
 * The second login step: the app code field first; "Having trouble?" opens the other ways in — a backup
 * code, an SMS code (only when the account has a verified emergency phone), support. Every refusal
 * (wrong, replayed, no codes left, throttled, locked) is main's message in the alert region.
 */
export function SecondFactorScreen({
  user,
  emergencyPhone,
  onBackupCodeUsed,
  onRecoveredBySms,
  onRecoveryFiled,
}: {
  user: SessionUser
  /** The account has a verified emergency phone: the SMS way in is offered. */
  emergencyPhone: boolean
  /** After a backup-code login: how many are left, for the notice in the console. */
  onBackupCodeUsed: (remaining: number) => void
  /** The SMS code or support's access code worked: the enrollment that follows says why. */
  onRecoveredBySms: () => void
  /** "Ask support for help" filed a request: main signed the attempt out; show the confirmation. */
  onRecoveryFiled: (filed: RecoveryFiledDto) => void
}) {
  const { set, refresh } = useSessionUpdate()
  const [mode, setMode] = useState<Mode>('app')
  const [alert, setAlert] = useState<string | null>(null)
  const [signingOut, setSigningOut] = useState(false)
  const backup = mode === 'backup'
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

  // Each way in replaces the last; its field (autoFocus) or its heading (StepHeading) takes focus.
  const show = (next: Mode): void => {
    setMode(next)
    setAlert(null)
    clearErrors('factor')
    resetField('factor', { defaultValue: '' })
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

  const choices: TroubleChoice[] = [
    ...(backup
      ? []
      : [
          {
            label: 'Use a backup code',
            detail: 'One of the codes you saved when you turned on two-factor authentication.',
            onChoose: () => show('backup'),
          },
        ]),
    ...(emergencyPhone
      ? [
          {
            label: 'Send a code to my emergency phone',
            detail: 'By SMS to your verified phone. Your old authenticator app then stops working.',
            onChoose: () => show('sms'),
          },
        ]
      : []),
    {
      label: 'Ask support for help',
      detail: 'Support checks who you are and gives you a temporary access code.',
      onChoose: () => show('support'),
    },
  ]

  const error = formState.errors.factor?.message
  const signOutButton = (
    <Button variant="ghost" onClick={() => void signOut()} busy={signingOut}>
      Sign out
    </Button>
  )
  const codeStep = mode === 'app' || mode === 'backup'
  return (
    <AuthLayout
      title="Two-factor authentication"
      intro={
        <p>
          Signing in as <strong>{user.email}</strong>.{' '}
          {mode === 'app' && 'Enter the 6-digit code from your authenticator app.'}
          {backup && 'Enter one of your backup codes. Each code works once.'}
        </p>
      }
    >
      {codeStep ? (
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
          {backup && (
            <Button variant="ghost" className="link-button" onClick={() => show('app')}>
              Use the authenticator app instead
            </Button>
          )}
          {/* Keyed by the code in use: a choice made closes the list. */}
          <HavingTrouble key={`trouble-${mode}`} choices={choices} />
          <div className="form-actions">{signOutButton}</div>
        </form>
      ) : (
        <div className="form">
          <StepHeading key={mode}>{stepTitles[mode]}</StepHeading>
          {mode === 'sms' && <LostDevice onRecovered={onRecoveredBySms} />}
          {mode === 'support' && (
            <>
              <AskSupport onFiled={onRecoveryFiled} />
              <div className="form recovery-ways">
                <p className="muted">Support already gave you a temporary access code?</p>
                <Button variant="secondary" onClick={() => show('access-code')}>
                  I have a temporary access code from support
                </Button>
              </div>
            </>
          )}
          {mode === 'access-code' && <AccessCodeEntry onAccepted={onRecoveredBySms} />}
          <div className="form-actions auth-footer">
            <Button variant="ghost" className="link-button" onClick={() => show('app')}>
              Back to the app code
            </Button>
            {signOutButton}
          </div>
        </div>
      )}
    </AuthLayout>
  )
}
