import type { AccessCodeIssuedDto } from '../../../../shared/dto'
import { Button } from '../../ui/Button'
import { dateTime } from '../users/format'

/**
 * What issuing a temporary access code gave. By SMS the agent never sees the code. Without a phone the
 * code is on screen this once, in groups to read out; it lives only in this component's parent state, so
 * leaving the page (or "Hide the code") drops it for good.
 */
export function AccessCodeShown({ issued, onHide }: { issued: AccessCodeIssuedDto; onHide: () => void }) {
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
  const groups = issued.code.split('-')
  return (
    <section className="access-code-shown" aria-label="Temporary access code">
      <p>
        <strong>Read this code to the person; it will not be shown again.</strong>
      </p>
      <p className="access-code" aria-label="Code">
        {groups.map((g, i) => (
          <span key={i} className="access-code-group">
            {g}
            {i < groups.length - 1 && ' '}
          </span>
        ))}
      </p>
      <p className="muted">
        It works once, until {dateTime(issued.expiresAt)}. They sign in with their password, choose{' '}
        <em>I have a temporary access code from support</em>, then set up a new authenticator.
      </p>
      <div className="form-actions">
        <Button variant="secondary" onClick={onHide}>
          Done, hide the code
        </Button>
      </div>
    </section>
  )
}
