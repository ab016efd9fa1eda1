import { useId, useState } from 'react'
import type { PasswordAdminResetDto } from '../../../../shared/dto'
import { Button } from '../../ui/Button'
import { Dialog } from '../../ui/Dialog'
import { useNavigate } from '../shell/navigation'
import { realSchedule, type Schedule } from '../two-factor/backupCodesOut'
import { dateTime } from './format'
import { ShownOnceCode } from './ShownOnceCode'

const HOW_TO_USE = (
  <>
    On the sign-in screen they choose <em>Forgot password?</em>, then <em>I have a reset code</em>, and choose
    a new password. Their two-factor authentication stays as it is.
  </>
)

/** Shown once: Copy (the clipboard is cleared again), and Done only once they say it was passed on. */
function ShownCode({
  name,
  code,
  expiresAt,
  onDone,
  schedule,
}: {
  name: string
  code: string
  expiresAt: number
  onDone: () => void
  schedule: Schedule
}) {
  const checkId = useId()
  const [given, setGiven] = useState(false)
  return (
    // No onClose: neither Escape nor a stray click closes it, the code would be gone for good.
    <Dialog title="Password reset code">
      <div className="form">
        <p>
          This Tessera sends no email, so give this reset code to <strong>{name}</strong> yourself, on a
          channel you trust. <strong>It will not be shown again.</strong>
        </p>
        <ShownOnceCode code={code} label="Reset code" schedule={schedule}>
          <p className="muted">
            It works once, until {dateTime(expiresAt)}. {HOW_TO_USE}
          </p>
        </ShownOnceCode>
        <div className="check">
          <input id={checkId} type="checkbox" checked={given} onChange={(e) => setGiven(e.target.checked)} />
          <label htmlFor={checkId}>I have given the code to them</label>
        </div>
        <div className="form-actions">
          <Button disabled={!given} onClick={onDone}>
            Done, hide the code
          </Button>
        </div>
      </div>
    </Dialog>
  )
}

/**
 * What "Reset password" gave: the code went by email; or it is shown once, here only (it lives in the
 * parent's state, and Done drops it for good); or a recovery request waits for two approvers.
 */
export function PasswordResetResult({
  name,
  result,
  onDone,
  schedule = realSchedule,
}: {
  name: string
  result: PasswordAdminResetDto
  onDone: () => void
  schedule?: Schedule
}) {
  const navigate = useNavigate()
  switch (result.outcome) {
    case 'emailed':
      return (
        <Dialog title="Reset code sent" onClose={onDone}>
          <div className="form">
            <div role="status" className="alert alert-ok">
              A reset code was emailed to <strong>{result.to}</strong>.
            </div>
            <p>
              You do not see it: it went to them only. It works once, until {dateTime(result.expiresAt)}.{' '}
              {HOW_TO_USE} If it does not arrive, the email outbox in Settings says why.
            </p>
            <div className="form-actions">
              <Button onClick={onDone}>Done</Button>
            </div>
          </div>
        </Dialog>
      )
    case 'shown':
      return (
        <ShownCode
          name={name}
          code={result.code}
          expiresAt={result.expiresAt}
          onDone={onDone}
          schedule={schedule}
        />
      )
    case 'pending':
      return (
        <Dialog title={`Recovery request #${result.requestId} filed`} onClose={onDone}>
          <div className="form">
            <p>
              <strong>Two approvers must approve: recovery request #{result.requestId}.</strong>
            </p>
            <p>
              The reset waits for identity checks and two approvers of {name}&apos;s rank; then a password
              reset code is issued to them. Their current password keeps working until then.
            </p>
            <div className="form-actions">
              <Button onClick={() => navigate({ page: 'recovery-request', requestId: result.requestId })}>
                Open request #{result.requestId}
              </Button>
              <Button variant="secondary" onClick={onDone}>
                Close
              </Button>
            </div>
          </div>
        </Dialog>
      )
  }
}
