import { zodResolver } from '@hookform/resolvers/zod'
import { useEffect, useId, useState } from 'react'
import { useForm } from 'react-hook-form'
import type { EnrollmentStartDto } from '../../../../shared/dto'
import { confirmEnrollmentInputSchema, startEnrollmentInputSchema } from '../../../../shared/schemas'
import { api, ApiFailure, isSessionGone, messageOf, unwrap } from '../../api'
import { useSessionUpdate } from '../../session/queries'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { Field } from '../../ui/Field'
import { StepHeading } from '../../ui/StepHeading'
import { EmergencyPhoneStep } from '../phone/EmergencyPhoneStep'
import { AppCodeField } from './AppCodeField'
import { BackupCodes } from './BackupCodes'
import type { Schedule } from './backupCodesOut'
import { abandonEnrollment } from './queries'

export interface WizardProps {
  account: string
  /** 2FA is on, the person has saved the codes and added (or skipped) the emergency phone. */
  onFinished: () => void
  /** Cancel at steps 1–2, after the pending enrollment is abandoned; no Cancel button without it. */
  onCancel?: () => void
  /** 2FA is on and the codes are on screen (main may already count the login as complete). */
  onCodesShown?: () => void
  schedule?: Schedule
  /**
   * The person gave their password moments ago (signed in, activated) and may only enroll: the wizard
   * starts at the QR code without asking it again, while main agrees; otherwise at the password.
   */
  justSignedIn?: boolean
}

type Step =
  | { at: 'starting' }
  | { at: 'password' }
  | { at: 'scan'; start: EnrollmentStartDto }
  | { at: 'codes'; codes: string[] }
  | { at: 'phone' }

const stepNumber: Record<Exclude<Step['at'], 'starting'>, number> = {
  password: 1,
  scan: 2,
  codes: 3,
  phone: 4,
}

/**
 * Password → QR and manual key → first code → backup codes → emergency phone. Main stores nothing until
 * the code verifies; cancelling or leaving before that abandons the enrollment. QR, key and codes exist
 * only in this state.
 */
export function EnrollmentWizard({
  account,
  onFinished,
  onCancel,
  onCodesShown,
  schedule,
  justSignedIn = false,
}: WizardProps) {
  const { refresh } = useSessionUpdate()
  const [step, setStep] = useState<Step>({ at: justSignedIn ? 'starting' : 'password' })
  // Steps are numbered from where the person starts: without the password step when it was skipped.
  const [skippedPassword, setSkippedPassword] = useState(false)
  const [alert, setAlert] = useState<string | null>(null)
  // Read by the unmount cleanup, which must see the latest value (a plain object, not render state).
  const [pending] = useState(() => ({ started: false }))
  useEffect(
    () => () => {
      if (pending.started) void abandonEnrollment()
    },
    [pending],
  )

  // Asked once, even if the effect runs twice.
  const [asked] = useState(() => ({ done: false }))
  useEffect(() => {
    if (step.at !== 'starting' || asked.done) return
    asked.done = true
    void api()
      .twoFactor.startEnrollment({ justSignedIn: true })
      .then((r) => {
        if (r.ok) {
          pending.started = true
          setSkippedPassword(true)
          setStep({ at: 'scan', start: r.value })
          return
        }
        // Main wants the password after all (the sign-in is too old): the usual first step.
        if (r.error.code !== 'FORBIDDEN') fail(new ApiFailure(r.error))
        toPassword()
      })
  })

  const toPassword = (): void => {
    setSkippedPassword(false)
    setStep({ at: 'password' })
  }
  const total = skippedPassword ? 3 : 4
  const progress = (at: keyof typeof stepNumber): string =>
    `Step ${stepNumber[at] - (skippedPassword ? 1 : 0)} of ${total}`

  const fail = (e: unknown): void => {
    setAlert(messageOf(e))
    if (isSessionGone(e)) void refresh()
  }
  const cancel = async (): Promise<void> => {
    pending.started = false
    await abandonEnrollment()
    toPassword()
    onCancel?.()
  }
  const cancelProp = onCancel ? () => void cancel() : undefined

  return (
    <section className="wizard" aria-label="Enable two-factor authentication">
      {step.at === 'starting' && <p className="muted">Preparing your QR code…</p>}
      {step.at === 'password' && (
        <PasswordStep
          progress={progress('password')}
          alert={alert}
          onCancel={cancelProp}
          onStarted={(start) => {
            pending.started = true
            setAlert(null)
            setStep({ at: 'scan', start })
          }}
          onError={fail}
        />
      )}
      {step.at === 'scan' && (
        <ScanStep
          progress={progress('scan')}
          start={step.start}
          account={account}
          alert={alert}
          onCancel={cancelProp}
          onConfirmed={(codes) => {
            pending.started = false
            setAlert(null)
            setStep({ at: 'codes', codes })
            onCodesShown?.()
          }}
          onError={(e) => {
            fail(e)
            // The enrollment expired (or finished elsewhere): start again from the password.
            if (e instanceof ApiFailure && (e.code === 'NOT_FOUND' || e.code === 'CONFLICT')) {
              pending.started = false
              toPassword()
            }
          }}
        />
      )}
      {step.at === 'codes' && (
        <>
          <StepHeading progress={progress('codes')}>Save your backup codes</StepHeading>
          <p>Two-factor authentication is on.</p>
          <BackupCodes
            codes={step.codes}
            account={account}
            schedule={schedule}
            onDone={() => setStep({ at: 'phone' })}
          />
        </>
      )}
      {step.at === 'phone' && (
        <EmergencyPhoneStep
          progress={progress('phone')}
          onDone={() => {
            toPassword()
            onFinished()
          }}
        />
      )}
    </section>
  )
}

interface StepProps {
  progress: string
  alert: string | null
  onCancel: (() => void) | undefined
  onError: (e: unknown) => void
}

function PasswordStep({
  progress,
  alert,
  onCancel,
  onStarted,
  onError,
}: StepProps & { onStarted: (s: EnrollmentStartDto) => void }) {
  const { register, handleSubmit, formState, resetField, setFocus } = useForm<{ password: string }>({
    resolver: zodResolver(startEnrollmentInputSchema),
    defaultValues: { password: '' },
  })
  const onSubmit = handleSubmit(async ({ password }) => {
    try {
      onStarted(await unwrap(api().twoFactor.startEnrollment({ password })))
    } catch (e) {
      onError(e)
      setFocus('password')
    } finally {
      resetField('password', { defaultValue: '', keepError: true })
    }
  })
  return (
    <form onSubmit={onSubmit} noValidate className="form">
      {/* The wizard's first step: its field takes focus, not the heading. */}
      <StepHeading progress={progress} focus={false}>
        Confirm your password
      </StepHeading>
      <Alert>{alert}</Alert>
      <Field
        label="Current password"
        type="password"
        autoComplete="current-password"
        autoFocus
        {...register('password')}
        error={formState.errors.password?.message}
      />
      <div className="form-actions">
        <Button type="submit" busy={formState.isSubmitting}>
          Continue
        </Button>
        {onCancel && (
          <Button variant="secondary" onClick={onCancel}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  )
}

function ScanStep({
  progress,
  start,
  account,
  alert,
  onCancel,
  onConfirmed,
  onError,
}: StepProps & { start: EnrollmentStartDto; account: string; onConfirmed: (codes: string[]) => void }) {
  const { register, handleSubmit, formState, resetField, setFocus } = useForm<{ code: string }>({
    resolver: zodResolver(confirmEnrollmentInputSchema),
    defaultValues: { code: '' },
  })
  const keyLabelId = useId()
  const onSubmit = handleSubmit(async ({ code }) => {
    try {
      onConfirmed((await unwrap(api().twoFactor.confirmEnrollment({ code }))).backupCodes)
    } catch (e) {
      onError(e)
      resetField('code', { defaultValue: '', keepError: true })
      setFocus('code')
    }
  })
  return (
    <form onSubmit={onSubmit} noValidate className="form">
      <StepHeading progress={progress}>Scan the QR code</StepHeading>
      <div className="enroll-scan">
        <img
          className="qr"
          alt="QR code for your authenticator app"
          src={'data:image/svg+xml;utf8,' + encodeURIComponent(start.qrSvg)}
        />
        <div className="enroll-key">
          <p>
            Open Google Authenticator or any authenticator app, add an account and scan this code. If you
            cannot scan it, type this key instead:
          </p>
          <p className="manual-key-label" id={keyLabelId}>
            Manual key
          </p>
          <div role="group" aria-labelledby={keyLabelId} className="manual-key mono">
            {start.manualKey}
          </div>
          <p className="muted">Account {account} · time-based · 6 digits · SHA-1</p>
        </div>
      </div>
      <Alert>{alert}</Alert>
      <AppCodeField
        label="6-digit code from the app"
        hint="The code changes every 30 seconds."
        autoFocus
        {...register('code')}
        error={formState.errors.code?.message}
      />
      <div className="form-actions">
        <Button type="submit" busy={formState.isSubmitting}>
          Turn on two-factor authentication
        </Button>
        {onCancel && (
          <Button variant="secondary" onClick={onCancel}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  )
}
