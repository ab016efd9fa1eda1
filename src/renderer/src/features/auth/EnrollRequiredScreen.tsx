import { useState } from 'react'
import type { SessionUser } from '../../../../shared/dto'
import { api, messageOf, unwrap } from '../../api'
import { useSessionUpdate } from '../../session/queries'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { AuthLayout } from '../../ui/Layout'
import { EnrollmentWizard } from '../two-factor/EnrollmentWizard'
import { abandonEnrollment } from '../two-factor/queries'

/**
 * After the password, for someone an administrator requires to have 2FA and who has none: the wizard is
 * the whole screen, and finishing it completes the login.
 */
export function EnrollRequiredScreen({
  user,
  recoveredBySms = false,
  onCodesShown,
  onFinished,
}: {
  user: SessionUser
  /** Here after "I lost my device": the old authenticator is gone, a new one finishes the login. */
  recoveredBySms?: boolean
  /**
   * Main now counts the login as complete; the screen must stay until the codes are saved and the
   * emergency phone step is done (its phone.* calls are allowed in the full stage as in 'enroll').
   */
  onCodesShown: () => void
  onFinished: () => void
}) {
  const { set } = useSessionUpdate()
  const [alert, setAlert] = useState<string | null>(null)
  const [done, setDone] = useState(false)
  const [signingOut, setSigningOut] = useState(false)

  const signOut = async (): Promise<void> => {
    setSigningOut(true)
    try {
      await abandonEnrollment()
      set(await unwrap(api().auth.logout()))
    } catch (e) {
      setAlert(messageOf(e))
      setSigningOut(false)
    }
  }

  return (
    <AuthLayout
      wide
      title="Set up two-factor authentication"
      intro={
        recoveredBySms ? (
          <p>
            <strong>Your old authenticator app and backup codes no longer work</strong> for {user.email}. Set
            up an authenticator app on your new phone to finish signing in.
          </p>
        ) : (
          <p>
            <strong>Your administrator requires two-factor authentication</strong> for {user.email}. Set up an
            authenticator app on your phone to finish signing in.
          </p>
        )
      }
    >
      <Alert>{alert}</Alert>
      <EnrollmentWizard
        account={user.email}
        // Here right after the password (or a way back in): it is not asked again while main agrees.
        justSignedIn
        onCodesShown={() => {
          setDone(true)
          onCodesShown()
        }}
        onFinished={onFinished}
      />
      {!done && (
        <div className="form-actions auth-footer">
          <Button variant="ghost" onClick={() => void signOut()} busy={signingOut}>
            Sign out
          </Button>
        </div>
      )}
    </AuthLayout>
  )
}
