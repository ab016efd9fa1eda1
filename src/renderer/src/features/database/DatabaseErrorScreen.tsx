import { Button } from '../../ui/Button'
import { AuthLayout } from '../../ui/Layout'

/** The database cannot be opened. Nothing was changed; say why, and offer only to look again. */
export function DatabaseErrorScreen({
  code,
  message,
  onRetry,
  retrying = false,
}: {
  code: string
  message: string
  onRetry: () => void
  retrying?: boolean
}) {
  return (
    <AuthLayout title="The database cannot be opened">
      <div role="alert" className="alert alert-error">
        <p>{message}</p>
        <p className="mono">Error code: {code}</p>
      </div>
      <p className="muted">Tessera has not changed the database file.</p>
      <Button onClick={onRetry} busy={retrying}>
        Try again
      </Button>
    </AuthLayout>
  )
}
