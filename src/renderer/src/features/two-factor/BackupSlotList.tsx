import type { BackupSlotDto } from '../../../../shared/dto'
import { formatDateTime } from '../../format/time'

const when = (at: number): string => formatDateTime(at)

/** The five backup-code slots: unused, or when and on which machine each was used. */
export function BackupSlotList({ slots }: { slots: readonly BackupSlotDto[] }) {
  return (
    <ul aria-label="Backup code slots" className="slots">
      {slots.map((slot) => (
        <li key={slot.slot}>
          <span className="slot-name">Code {slot.slot}</span>
          {slot.usedAt === null ? (
            <span className="muted">unused</span>
          ) : (
            <span>
              used at {when(slot.usedAt)} on {slot.usedMachine ?? 'an unknown machine'}
            </span>
          )}
        </li>
      ))}
    </ul>
  )
}
