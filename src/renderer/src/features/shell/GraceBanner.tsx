import { Button } from '../../ui/Button'
import { dateTime } from '../users/format'

/** Inside the grace period, a user required to have 2FA is reminded on every page until they set it up. */
export function GraceBanner({ dueAt, onSetUp }: { dueAt: number; onSetUp: () => void }) {
  return (
    <div role="status" className="alert alert-warning notice">
      <p>Your administrator requires two-factor authentication. Set it up before {dateTime(dueAt)}.</p>
      <Button variant="secondary" onClick={onSetUp}>
        Go to My profile
      </Button>
    </div>
  )
}
