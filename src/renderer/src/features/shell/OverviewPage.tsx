import { useTranslation } from 'react-i18next'
import type { SessionUser } from '../../../../shared/dto'
import { SecurityChecklist } from './SecurityChecklist'

/** A member's home: a welcome, and the checklist of what protects their account with its next step. */
export function OverviewPage({ user, justSignedIn = false }: { user: SessionUser; justSignedIn?: boolean }) {
  const { t } = useTranslation('shell')
  return (
    <div className="page">
      <h1>{t('overview.welcome', { name: user.name })}</h1>
      <p className="muted">{t('overview.intro')}</p>
      <SecurityChecklist account={user.email} justSignedIn={justSignedIn} />
    </div>
  )
}
