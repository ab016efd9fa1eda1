import { useTranslation } from 'react-i18next'
import type { RecoveryStatus } from '../../../../shared/schemas'
import styles from './RecoveryStatusBadge.module.css'

export function RecoveryStatusBadge({ status }: { status: RecoveryStatus }) {
  const { t } = useTranslation('recovery')
  return <span className={`pill ${styles[status]}`}>{t(`status.${status}`)}</span>
}
