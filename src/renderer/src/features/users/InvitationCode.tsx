import type { InvitationDto } from '../../../../shared/dto'
import { Button } from '../../ui/Button'
import { realSchedule, type Schedule } from '../two-factor/backupCodesOut'
import { dateTime } from './format'
import { ShownOnceCode } from './ShownOnceCode'

/** The title of the dialog that shows an invitation: its code, or where the email went. */
export const invitationTitle = (invitation: InvitationDto): string =>
  invitation.code === null ? 'Invitation sent' : 'Invitation code'

/**
 * What Escape does in the dialog around an invitation: it closes one that says where the email went, but
 * a code shown here goes away only through Done.
 */
export const invitationEscape = (invitation: InvitationDto, onClose: () => void): (() => void) | undefined =>
  invitation.code === null ? onClose : undefined

/**
 * An invitation code, shown this once (main keeps only its hash), with Copy that clears the clipboard.
 * When Settings → Email has an SMTP server the code went to the person by email instead, and nobody
 * else ever sees it: then only where it went is shown.
 */
export function InvitationCode({
  invitation,
  onDone,
  schedule = realSchedule,
}: {
  invitation: InvitationDto
  onDone: () => void
  schedule?: Schedule
}) {
  const code = invitation.code
  if (code === null) {
    return (
      <div className="form">
        <div role="status" className="alert alert-ok">
          Invitation sent by email to <strong>{invitation.emailedTo ?? invitation.email}</strong>.
        </div>
        <p>
          The invitation code is in that email, for them only: you do not see it. On the sign-in screen they
          choose <em>Activate an account</em>. If it does not arrive, the email outbox in Settings says why.
        </p>
        <p className="muted">Valid until {dateTime(invitation.expiresAt)}.</p>
        <div className="form-actions">
          <Button onClick={onDone}>Done</Button>
        </div>
      </div>
    )
  }
  return (
    <div className="form">
      <p>
        Give this invitation code to the person at <strong>{invitation.email}</strong>. On the sign-in screen
        they choose <em>Activate an account</em>. <strong>It is shown only now.</strong>
      </p>
      <ShownOnceCode
        code={code}
        label="Invitation code"
        schedule={schedule}
        actions={<Button onClick={onDone}>Done</Button>}
      >
        <p className="muted">Valid until {dateTime(invitation.expiresAt)}.</p>
      </ShownOnceCode>
    </div>
  )
}
