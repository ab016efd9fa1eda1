import { useTranslation } from 'react-i18next'
import type { BackupSlotDto } from '../../../../shared/dto'
import { formatDateTime } from '../../format/time'
import styles from './BackupSlotList.module.css'

const when = (at: number): string => formatDateTime(at)

/** The five backup-code slots: unused, or when and on which machine each was used. */
export function BackupSlotList({ slots }: { slots: readonly BackupSlotDto[] }) {
  const { t } = useTranslation('twoFactor')
  return (
    <ul aria-label={t('slots.label')} className={styles.slots}>
      {slots.map((slot) => (
        <li key={slot.slot}>
          <span className={styles.name}>{t('slots.name', { slot: slot.slot })}</span>
          {slot.usedAt === null ? (
            <span className="muted">{t('slots.unused')}</span>
          ) : (
            <span>
              {t('slots.used', {
                at: when(slot.usedAt),
                machine: slot.usedMachine ?? t('slots.unknownMachine'),
              })}
            </span>
          )}
        </li>
      ))}
    </ul>
  )
}
