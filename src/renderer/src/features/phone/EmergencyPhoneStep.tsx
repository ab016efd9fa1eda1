import { useState } from 'react'
import { messageOf } from '../../api'
import { Alert, Notice } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { StepHeading } from '../../ui/StepHeading'
import { PhoneSetup } from './PhoneForms'
import { usePhoneStatus } from './queries'

export const SKIP_PHONE_NOTE =
  'An emergency phone is recommended, not required. You can skip this and add one later in My profile. Without one, if you lose the phone with your authenticator app and have no backup code at hand, you will have to ask support to let you back in.'

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
  const status = usePhoneStatus()
  const [verifiedNow, setVerifiedNow] = useState<string | null>(null)
  const s = status.data
  const masked = verifiedNow ?? (s?.verified ? s.masked : null)

  if (masked) {
    return (
      <>
        <StepHeading progress={progress}>Emergency phone</StepHeading>
        <Notice>{verifiedNow ? `${verifiedNow} is now your verified emergency phone.` : null}</Notice>
        <p>
          Your emergency phone is <strong className="mono">{masked}</strong>. If you lose the phone with your
          authenticator app, a code sent to this number lets you sign in and set up a new authenticator. You
          can change it in My profile.
        </p>
        <div className="form-actions">
          <Button onClick={onDone}>Done</Button>
        </div>
      </>
    )
  }
  return (
    <>
      <StepHeading progress={progress}>Add an emergency phone</StepHeading>
      <p>
        If you lose the phone with your authenticator app, a code sent by SMS to another phone lets you sign
        in and set up a new authenticator.
      </p>
      <p className="muted">{SKIP_PHONE_NOTE}</p>
      {status.isPending && <p className="muted">Loading…</p>}
      {status.isError && (
        <>
          <Alert>{messageOf(status.error)}</Alert>
          <div className="form-actions">
            <Button variant="secondary" onClick={onDone}>
              Skip for now
            </Button>
          </div>
        </>
      )}
      {status.isSuccess && (
        <PhoneSetup
          changing={false}
          pendingMasked={null}
          cancelLabel="Skip for now"
          onCancel={onDone}
          onVerified={setVerifiedNow}
        />
      )}
    </>
  )
}
