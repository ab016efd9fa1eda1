import { useState } from 'react'
import type { InvitationDto } from '../../../../shared/dto'
import { Alert, Notice } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { copyThenClear, realSchedule, type Schedule } from '../two-factor/backupCodesOut'
import { dateTime } from './format'

/** An invitation code, shown this once (main keeps only its hash), with Copy that clears the clipboard. */
export function InvitationCode({
  invitation,
  onDone,
  schedule = realSchedule,
}: {
  invitation: InvitationDto
  onDone: () => void
  schedule?: Schedule
}) {
  const [notice, setNotice] = useState<string | null>(null)
  const [alert, setAlert] = useState<string | null>(null)
  const copy = async (): Promise<void> => {
    setAlert(null)
    try {
      await copyThenClear(invitation.code, schedule)
      setNotice('Copied. The clipboard will be cleared in 30 seconds.')
    } catch {
      setNotice(null)
      setAlert('Tessera could not use the clipboard. Write the code down instead.')
    }
  }
  return (
    <div className="form">
      <p>
        Give this invitation code to the person at <strong>{invitation.email}</strong>. On the sign-in screen
        they choose <em>Activate an account</em>. <strong>It is shown only now.</strong>
      </p>
      <p className="invitation-code mono" aria-label="Invitation code">
        {invitation.code}
      </p>
      <p className="muted">Valid until {dateTime(invitation.expiresAt)}.</p>
      <Alert>{alert}</Alert>
      <Notice>{notice}</Notice>
      <div className="form-actions">
        <Button variant="secondary" onClick={() => void copy()}>
          Copy
        </Button>
        <Button onClick={onDone}>Done</Button>
      </div>
    </div>
  )
}
