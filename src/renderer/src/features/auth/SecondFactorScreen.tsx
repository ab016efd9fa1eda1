import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { Trans, useTranslation } from 'react-i18next'
import type { RecoveryFiledDto, SessionUser } from '../../../../shared/dto'
import { backupCodeSchema, totpCodeSchema } from '../../../../shared/schemas'
import { useServerError } from '../../forms'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { Field } from '../../ui/Field'
import { AuthLayout } from '../../ui/Layout'
import { StepHeading } from '../../ui/StepHeading'
import { AppCodeField } from '../two-factor/AppCodeField'
import { AccessCodeEntry } from './AccessCodeEntry'
import { AskSupport } from './AskSupport'
import parts from './formParts.module.css'
import { HavingTrouble, type TroubleChoice } from './HavingTrouble'
import { LostDevice } from './LostDevice'
import { useSignOut, useVerifySecondFactor } from './queries'

/** The app code (first), a backup code, or one of the ways back in without the device. */
type Mode = 'app' | 'backup' | 'sms' | 'support' | 'access-code'

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
  const { t } = useTranslation('auth')
  const [mode, setMode] = useState<Mode>('app')
  const backup = mode === 'backup'
  const verify = useVerifySecondFactor((remaining) => {
    if (remaining !== null) onBackupCodeUsed(remaining)
  })
  const signOut = useSignOut()
  const { register, handleSubmit, formState, resetField, setError, setFocus, clearErrors } = useForm<{
    factor: string
  }>({ defaultValues: { factor: '' } })
  // Main's field names (code, backupCode) are not this form's: every refusal is read out in the alert.
  const server = useServerError(setError, [])

  const onSubmit = handleSubmit(async ({ factor }) => {
    const checked = (backup ? backupCodeSchema : totpCodeSchema).safeParse(factor)
    if (!checked.success) {
      server.clear()
      setError('factor', { message: checked.error.issues[0]?.message ?? t('enterCode') })
      return
    }
    const input = backup ? { backupCode: checked.data } : { code: checked.data }
    if (!(await server.submit(() => verify.mutateAsync(input)))) setFocus('factor')
    resetField('factor', { defaultValue: '', keepError: true })
  })

  // Each way in replaces the last; its field (autoFocus) or its heading (StepHeading) takes focus.
  const show = (next: Mode): void => {
    setMode(next)
    server.clear()
    clearErrors('factor')
    resetField('factor', { defaultValue: '' })
  }

  const choices: TroubleChoice[] = [
    ...(backup
      ? []
      : [
          {
            label: t('second.choice.backup'),
            detail: t('second.choice.backupDetail'),
            onChoose: () => show('backup'),
          },
        ]),
    ...(emergencyPhone
      ? [
          {
            label: t('second.choice.sms'),
            detail: t('second.choice.smsDetail'),
            onChoose: () => show('sms'),
          },
        ]
      : []),
    {
      label: t('askSupport'),
      detail: t('second.choice.supportDetail'),
      onChoose: () => show('support'),
    },
  ]

  const error = formState.errors.factor?.message
  const signOutButton = (
    <Button
      variant="ghost"
      onClick={() => void server.submit(() => signOut.mutateAsync())}
      busy={signOut.isPending || signOut.isSuccess}
    >
      {t('signOut')}
    </Button>
  )
  const codeStep = mode === 'app' || mode === 'backup'
  return (
    <AuthLayout
      title={t('second.title')}
      intro={
        <p>
          <Trans
            t={t}
            i18nKey="second.signingInAs"
            values={{ email: user.email }}
            components={{ strong: <strong /> }}
          />{' '}
          {mode === 'app' && t('second.appIntro')}
          {backup && t('second.backupIntro')}
        </p>
      }
    >
      {codeStep ? (
        <form onSubmit={onSubmit} noValidate className="form">
          <Alert>{server.error}</Alert>
          {backup ? (
            <Field
              key="backup"
              label={t('second.backupCode')}
              hint={t('second.backupHint')}
              autoComplete="off"
              spellCheck={false}
              autoCapitalize="characters"
              className="mono"
              autoFocus
              {...register('factor')}
              error={error}
            />
          ) : (
            <AppCodeField
              key="app"
              label={t('second.appCode')}
              autoFocus
              {...register('factor')}
              error={error}
            />
          )}
          <Button type="submit" busy={formState.isSubmitting}>
            {formState.isSubmitting ? t('checking') : t('verify')}
          </Button>
          {backup && (
            <Button variant="ghost" className="link-button" onClick={() => show('app')}>
              {t('second.useApp')}
            </Button>
          )}
          {/* Keyed by the code in use: a choice made closes the list. */}
          <HavingTrouble key={`trouble-${mode}`} choices={choices} />
          <div className="form-actions">{signOutButton}</div>
        </form>
      ) : (
        <div className="form">
          <StepHeading key={mode}>
            {mode === 'support' ? t('askSupport') : t(`second.step.${mode}`)}
          </StepHeading>
          {mode === 'sms' && <LostDevice onRecovered={onRecoveredBySms} />}
          {mode === 'support' && (
            <>
              <AskSupport onFiled={onRecoveryFiled} />
              <div className={`form ${parts.ways}`}>
                <p className="muted">{t('second.accessCodeAlready')}</p>
                <Button variant="secondary" onClick={() => show('access-code')}>
                  {t('haveAccessCode')}
                </Button>
              </div>
            </>
          )}
          {mode === 'access-code' && <AccessCodeEntry onAccepted={onRecoveredBySms} />}
          <div className={`form-actions ${parts.footer}`}>
            <Button variant="ghost" className="link-button" onClick={() => show('app')}>
              {t('second.backToApp')}
            </Button>
            {signOutButton}
          </div>
        </div>
      )}
    </AuthLayout>
  )
}
