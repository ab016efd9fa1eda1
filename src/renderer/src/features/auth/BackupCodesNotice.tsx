import { Button } from '../../ui/Button'

/**
 * Shown once in the console after a backup-code login: how many codes are left, and a stronger warning
 * (read out at once) when one or none is left.
 */
export function BackupCodesNotice({ remaining, onDismiss }: { remaining: number; onDismiss: () => void }) {
  const low = remaining <= 1
  const count =
    remaining === 0
      ? 'You have no backup codes left.'
      : `You have ${remaining} backup ${remaining === 1 ? 'code' : 'codes'} left.`
  return (
    <div
      role={low ? 'alert' : 'status'}
      className={low ? 'alert alert-warning notice' : 'alert alert-ok notice'}
    >
      <p>
        You signed in with a backup code. {low ? <strong>{count}</strong> : count}
        {low && ' Create new codes now in My profile.'}
      </p>
      <Button variant="ghost" onClick={onDismiss}>
        Dismiss
      </Button>
    </div>
  )
}
