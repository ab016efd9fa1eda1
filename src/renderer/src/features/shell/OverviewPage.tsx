import type { SessionUser } from '../../../../shared/dto'
import { SecurityChecklist } from './SecurityChecklist'

/** A member's home: a welcome, and the checklist of what protects their account with its next step. */
export function OverviewPage({ user, justSignedIn = false }: { user: SessionUser; justSignedIn?: boolean }) {
  return (
    <div className="page">
      <h1>Welcome, {user.name}</h1>
      <p className="muted">
        Tessera manages two-factor authentication for your account’s people. The console locks itself when you
        step away.
      </p>
      <SecurityChecklist account={user.email} justSignedIn={justSignedIn} />
    </div>
  )
}
