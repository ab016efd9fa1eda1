import { useState } from 'react'
import { Trans, useTranslation } from 'react-i18next'
import { messageOf } from '../../api'
import { Alert, Notice } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { StepHeading } from '../../ui/StepHeading'
import { PhoneSetup } from './PhoneForms'
import { usePhoneStatus } from './queries'

/**
 * The enrollment wizard's last step. A verified phone is shown masked (changing it is left to My profile);
 * otherwise the same forms as My profile, or "Skip for now". The password is asked again here rather than
 * kept from the wizard's first step, so no password stays in memory while the backup codes are on screen.
 */
export function EmergencyPhoneStep({
  onDone,
  progress,
}: {
  onDone: () => void
  /** "Step 4 of 4", read out with the heading that takes focus. */
  progress?: string
}) {
  const { t } = useTranslation('phone')
  const status = usePhoneStatus()
  const [verifiedNow, setVerifiedNow] = useState<string | null>(null)
  const s = status.data
  const masked = verifiedNow ?? (s?.verified ? s.masked : null)

  if (masked) {
    return (
      <>
        <StepHeading progress={progress}>{t('step.title')}</StepHeading>
        <Notice>{verifiedNow ? t('nowVerified', { phone: verifiedNow }) : null}</Notice>
        <p>
          <Trans
            t={t}
            i18nKey="step.yours"
            values={{ phone: masked }}
            components={{ phone: <strong className="mono" /> }}
          />
        </p>
        <div className="form-actions">
          <Button onClick={onDone}>{t('done')}</Button>
        </div>
      </>
    )
  }
  return (
    <>
      <StepHeading progress={progress}>{t('step.addTitle')}</StepHeading>
      <p>{t('step.why')}</p>
      <p className="muted">{t('step.skipNote')}</p>
      {status.isPending && <p className="muted">{t('loading')}</p>}
      {status.isError && (
        <>
          <Alert>{messageOf(status.error)}</Alert>
          <div className="form-actions">
            <Button variant="secondary" onClick={onDone}>
              {t('step.skip')}
            </Button>
          </div>
        </>
      )}
      {status.isSuccess && (
        <PhoneSetup
          changing={false}
          pendingMasked={null}
          cancelLabel={t('step.skip')}
          onCancel={onDone}
          onVerified={setVerifiedNow}
        />
      )}
    </>
  )
}
