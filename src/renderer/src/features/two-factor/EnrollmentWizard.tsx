import { zodResolver } from '@hookform/resolvers/zod'
import { useEffect, useId, useState } from 'react'
import { useForm } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import type { EnrollmentStartDto } from '../../../../shared/dto'
import { confirmEnrollmentInputSchema, startEnrollmentInputSchema } from '../../../../shared/schemas'
import { ApiFailure, isSessionGone, messageOf } from '../../api'
import { useSessionUpdate } from '../../session/queries'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { Field } from '../../ui/Field'
import { StepHeading } from '../../ui/StepHeading'
import { EmergencyPhoneStep } from '../phone/EmergencyPhoneStep'
import { AppCodeField } from './AppCodeField'
import { BackupCodes } from './BackupCodes'
import type { Schedule } from './backupCodesOut'
import { abandonEnrollment, useConfirmEnrollment, useStartEnrollment } from './queries'
import styles from './EnrollmentWizard.module.css'

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
  const { t } = useTranslation('twoFactor')
  const { refresh } = useSessionUpdate()
  const start = useStartEnrollment()
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
    start.mutateAsync({ justSignedIn: true }).then(
      (started) => {
        pending.started = true
        setSkippedPassword(true)
        setStep({ at: 'scan', start: started })
      },
      (e: unknown) => {
        // Main wants the password after all (the sign-in is too old): the usual first step.
        if (!(e instanceof ApiFailure && e.code === 'FORBIDDEN')) fail(e)
        toPassword()
      },
    )
  })

  const toPassword = (): void => {
    setSkippedPassword(false)
    setStep({ at: 'password' })
  }
  const total = skippedPassword ? 3 : 4
  const progress = (at: keyof typeof stepNumber): string =>
    t('wizard.progress', { step: stepNumber[at] - (skippedPassword ? 1 : 0), total })

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
    <section className="wizard" aria-label={t('wizard.label')}>
      {step.at === 'starting' && <p className="muted">{t('wizard.preparing')}</p>}
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
          <StepHeading progress={progress('codes')}>{t('wizard.codes.title')}</StepHeading>
          <p>{t('wizard.codes.on')}</p>
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
  const { t } = useTranslation('twoFactor')
  const start = useStartEnrollment()
  const { register, handleSubmit, formState, resetField, setFocus } = useForm<{ password: string }>({
    resolver: zodResolver(startEnrollmentInputSchema),
    defaultValues: { password: '' },
  })
  const onSubmit = handleSubmit(async ({ password }) => {
    try {
      onStarted(await start.mutateAsync({ password }))
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
        {t('wizard.password.title')}
      </StepHeading>
      <Alert>{alert}</Alert>
      <Field
        label={t('wizard.password.label')}
        type="password"
        autoComplete="current-password"
        autoFocus
        {...register('password')}
        error={formState.errors.password?.message}
      />
      <div className="form-actions">
        <Button type="submit" busy={formState.isSubmitting}>
          {t('wizard.password.continue')}
        </Button>
        {onCancel && (
          <Button variant="secondary" onClick={onCancel}>
            {t('cancel')}
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
  const { t } = useTranslation('twoFactor')
  const confirm = useConfirmEnrollment()
  const { register, handleSubmit, formState, resetField, setFocus } = useForm<{ code: string }>({
    resolver: zodResolver(confirmEnrollmentInputSchema),
    defaultValues: { code: '' },
  })
  const keyLabelId = useId()
  const onSubmit = handleSubmit(async ({ code }) => {
    try {
      onConfirmed((await confirm.mutateAsync(code)).backupCodes)
    } catch (e) {
      onError(e)
      resetField('code', { defaultValue: '', keepError: true })
      setFocus('code')
    }
  })
  return (
    <form onSubmit={onSubmit} noValidate className="form">
      <StepHeading progress={progress}>{t('wizard.scan.title')}</StepHeading>
      <div className={styles.scan}>
        <img
          className={styles.qr}
          alt={t('wizard.scan.qr')}
          src={'data:image/svg+xml;utf8,' + encodeURIComponent(start.qrSvg)}
        />
        <div className={styles.key}>
          <p>{t('wizard.scan.intro')}</p>
          <p className={styles.manualKeyLabel} id={keyLabelId}>
            {t('wizard.scan.manualKey')}
          </p>
          <div role="group" aria-labelledby={keyLabelId} className={`${styles.manualKey} mono`}>
            {start.manualKey}
          </div>
          <p className="muted">{t('wizard.scan.details', { account })}</p>
        </div>
      </div>
      <Alert>{alert}</Alert>
      <AppCodeField
        label={t('wizard.scan.code')}
        hint={t('wizard.scan.codeHint')}
        autoFocus
        {...register('code')}
        error={formState.errors.code?.message}
      />
      <div className="form-actions">
        <Button type="submit" busy={formState.isSubmitting}>
          {t('wizard.scan.turnOn')}
        </Button>
        {onCancel && (
          <Button variant="secondary" onClick={onCancel}>
            {t('cancel')}
          </Button>
        )}
      </div>
    </form>
  )
}
