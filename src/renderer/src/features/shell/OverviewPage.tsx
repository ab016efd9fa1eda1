import type { SessionUser } from '../../../../shared/dto'

export function OverviewPage({ user }: { user: SessionUser }) {
  return (
    <div className="page">
      <h1>Welcome, {user.name}</h1>
      <p className="muted">
        Tessera manages two-factor authentication for your account’s people. The console locks itself when you
        step away.
      </p>
    </div>
  )
}
