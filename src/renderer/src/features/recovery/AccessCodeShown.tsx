import type { AccessCodeIssuedDto, RecoveryRequestSummaryDto } from '../../../../shared/dto'
import { Button } from '../../ui/Button'
import { OneTimeCode } from '../../ui/OneTimeCode'
import { dateTime } from '../users/format'

/**
 * What issuing a temporary access code gave. By SMS the agent never sees the code. Without a phone the
 * code is on screen this once, in even groups and spelled to read out; it lives only in this component's
 * parent state, so leaving the page (or "Hide the code") drops it for good. A request to reset a password ends with a
 * password reset code instead: by email (never seen by the agent) or, where no email leaves this
 * Tessera, shown the same way.
 */
export function AccessCodeShown({
  issued,
  purpose = '2fa',
  onHide,
}: {
  issued: AccessCodeIssuedDto
  /** What the request ends with: the words for a password reset code differ. */
  purpose?: RecoveryRequestSummaryDto['purpose']
  onHide: () => void
}) {
  if (issued.delivery === 'email') {
    return (
      <div role="status" className="alert alert-ok">
        The password reset code was emailed to <strong className="mono">{issued.to}</strong>. It works once,
        until {dateTime(issued.expiresAt)}: on the sign-in screen they choose <em>Forgot password?</em>, then{' '}
        <em>I have a reset code</em>.
      </div>
    )
  }
  if (issued.delivery === 'sms') {
    const phone = <strong className="mono">{issued.phone}</strong>
    if (issued.sms.status === 'failed') {
      return (
        <div role="alert" className="alert alert-error">
          The SMS with the temporary access code to {phone} could not be sent: {issued.sms.lastError}. The
          code will not reach them. Check the SMS settings and issue a new code (it replaces this one), or
          deny the request.
        </div>
      )
    }
    if (issued.sms.status === 'queued' || issued.sms.status === 'sending') {
      return (
        <div role="status" className="alert alert-warning">
          The temporary access code waits in the SMS outbox for {phone}
          {issued.sms.lastError ? ` (${issued.sms.lastError})` : ''}; it is sent as soon as the SMS provider
          answers. It works once, until {dateTime(issued.expiresAt)}.
        </div>
      )
    }
    return (
      <div role="status" className="alert alert-ok">
        The temporary access code was sent by SMS to {phone}. It works once, until{' '}
        {dateTime(issued.expiresAt)}.
      </div>
    )
  }
  const password = purpose === 'password'
  return (
    <section
      className="access-code-shown"
      aria-label={password ? 'Password reset code' : 'Temporary access code'}
    >
      <p>
        <strong>Read this code to the person; it will not be shown again.</strong>
      </p>
      <OneTimeCode code={issued.code} label="Code" separator=" " className="access-code" focusOnShow />
      {password ? (
        <p className="muted">
          It is a password reset code. It works once, until {dateTime(issued.expiresAt)}: on the sign-in
          screen they choose <em>Forgot password?</em>, then <em>I have a reset code</em>, and choose a new
          password. Their two-factor authentication stays as it is.
        </p>
      ) : (
        <p className="muted">
          It works once, until {dateTime(issued.expiresAt)}. They sign in with their password, choose{' '}
          <em>I have a temporary access code from support</em>, then set up a new authenticator.
        </p>
      )}
      <div className="form-actions">
        <Button variant="secondary" onClick={onHide}>
          Done, hide the code
        </Button>
      </div>
    </section>
  )
}
