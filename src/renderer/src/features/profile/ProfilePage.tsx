import type { SessionUser } from '../../../../shared/dto'
import { Panel } from '../../ui/Layout'
import { roleLabel } from '../../session/roles'
import { EmergencyPhoneSection } from '../phone/EmergencyPhoneSection'
import { PasswordSection } from './PasswordSection'
import { PreferencesSection } from './PreferencesSection'
import { TwoFactorSection } from './TwoFactorSection'

/**
 * The signed-in person's own account: who they are, their password, their two-factor authentication and
 * emergency phone.
 */
export function ProfilePage({ user }: { user: SessionUser }) {
  return (
    <div className="page">
      <h1>My profile</h1>
      <Panel title="Account">
        <dl className="facts">
          <dt>Name</dt>
          <dd>{user.name}</dd>
          <dt>Email</dt>
          <dd>{user.email}</dd>
          <dt>Role</dt>
          <dd>{roleLabel[user.role]}</dd>
        </dl>
      </Panel>
      <PasswordSection />
      <TwoFactorSection user={user} />
      <EmergencyPhoneSection />
      <PreferencesSection />
    </div>
  )
}
