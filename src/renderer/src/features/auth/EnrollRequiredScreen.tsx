import { useState } from 'react'
import { Trans, useTranslation } from 'react-i18next'
import type { SessionUser } from '../../../../shared/dto'
import { messageOf } from '../../api'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { AuthLayout } from '../../ui/Layout'
import { EnrollmentWizard } from '../two-factor/EnrollmentWizard'
import parts from './formParts.module.css'
import { useSignOut } from './queries'

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
  const { t } = useTranslation('auth')
  const [done, setDone] = useState(false)
  const signOut = useSignOut({ abandoningEnrollment: true })

  return (
    <AuthLayout
      wide
      title={t('enroll.title')}
      intro={
        <p>
          <Trans
            t={t}
            i18nKey={recoveredBySms ? 'enroll.recovered' : 'enroll.required'}
            values={{ email: user.email }}
            components={{ strong: <strong /> }}
          />
        </p>
      }
    >
      <Alert>{signOut.isError ? messageOf(signOut.error) : null}</Alert>
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
        <div className={`form-actions ${parts.footer}`}>
          <Button
            variant="ghost"
            onClick={() => signOut.mutate()}
            busy={signOut.isPending || signOut.isSuccess}
          >
            {t('signOut')}
          </Button>
        </div>
      )}
    </AuthLayout>
  )
}
