import type { RecoveryFiledDto } from '../../../../shared/dto'
import { Button } from '../../ui/Button'
import { AuthLayout } from '../../ui/Layout'
import { dateTime } from '../users/format'

/**
 * After "Ask support for help": the request number to quote, what happens next, and whether the
 * emergency phone was told. Main has already signed the attempt out; this screen stands in for sign-in.
 */
export function RecoveryFiledScreen({ filed, onBack }: { filed: RecoveryFiledDto; onBack: () => void }) {
  return (
    <AuthLayout
      title="Your request is with support"
      intro={
        <p>
          Your request number is <strong className="request-number">#{filed.requestId}</strong>. Quote it when
          support contacts you.
        </p>
      }
    >
      <div className="form">
        <p>
          <strong>Support will verify your identity before anything happens</strong> to your account. Once
          they have, they give you a temporary access code: sign in with your password, then choose{' '}
          <em>I have a temporary access code from support</em>.
        </p>
        <p role="status">
          {filed.notifiedPhone === null ? (
            'You have no verified emergency phone, so no text message was sent.'
          ) : (
            <>
              We told your emergency phone <strong className="mono">{filed.notifiedPhone}</strong> about this
              request.
            </>
          )}
        </p>
        <p className="muted">
          If support has not acted by {dateTime(filed.expiresAt)}, the request expires and you can ask again.
        </p>
        <Button onClick={onBack} autoFocus>
          Back to sign-in
        </Button>
      </div>
    </AuthLayout>
  )
}
