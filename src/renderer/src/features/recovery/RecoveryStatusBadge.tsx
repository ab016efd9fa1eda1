import type { RecoveryStatus } from '../../../../shared/schemas'
import { recoveryStatusLabel } from './format'

export function RecoveryStatusBadge({ status }: { status: RecoveryStatus }) {
  return (
    <span className={`pill recovery-status recovery-status-${status}`}>{recoveryStatusLabel[status]}</span>
  )
}
