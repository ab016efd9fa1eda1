import { useTranslation } from 'react-i18next'
import type { SessionUser } from '../../../../shared/dto'
import { Panel } from '../../ui/Layout'
import { EmergencyPhoneSection } from '../phone/EmergencyPhoneSection'
import { PasswordSection } from './PasswordSection'
import { PreferencesSection } from './PreferencesSection'
import { TwoFactorSection } from './TwoFactorSection'

/**
 * The signed-in person's own account: who they are, their password, their two-factor authentication and
 * emergency phone.
 */
export function ProfilePage({ user }: { user: SessionUser }) {
  const { t } = useTranslation(['profile', 'common'])
  return (
    <div className="page">
      <h1>{t('title')}</h1>
      <Panel title={t('account.title')}>
        <dl className="facts">
          <dt>{t('account.name')}</dt>
          <dd>{user.name}</dd>
          <dt>{t('account.email')}</dt>
          <dd>{user.email}</dd>
          <dt>{t('account.role')}</dt>
          <dd>{t(`common:role.${user.role}`)}</dd>
        </dl>
      </Panel>
      <PasswordSection />
      <TwoFactorSection user={user} />
      <EmergencyPhoneSection />
      <PreferencesSection />
    </div>
  )
}
