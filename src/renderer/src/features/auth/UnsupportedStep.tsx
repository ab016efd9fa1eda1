import { useState } from 'react'
import { api, messageOf, unwrap } from '../../api'
import { useSessionUpdate } from '../../session/queries'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { AuthLayout } from '../../ui/Layout'

/** A session phase main reports that this renderer cannot complete: say so, and let the person leave. */
export function UnsupportedStep({ phase }: { phase: string }) {
  const { set } = useSessionUpdate()
  const [alert, setAlert] = useState<string | null>(null)
  const signOut = async (): Promise<void> => {
    try {
      set(await unwrap(api().auth.logout()))
    } catch (e) {
      setAlert(messageOf(e))
    }
  }
  return (
    <AuthLayout title="Another step is needed">
      <Alert>{alert}</Alert>
      <p>
        Signing in needs a step this version of the console cannot show yet (
        <span className="mono">{phase}</span>).
      </p>
      <Button variant="secondary" onClick={() => void signOut()}>
        Sign out
      </Button>
    </AuthLayout>
  )
}
