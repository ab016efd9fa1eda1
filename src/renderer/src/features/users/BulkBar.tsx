import { useTranslation } from 'react-i18next'
import { bulkActions } from '../../../../shared/schemas'
import { Button } from '../../ui/Button'
import { dangerousBulkActions } from './BulkActionDialog'
import styles from './BulkBar.module.css'
import type { BulkAction } from './queries'

/**
 * Shown while rows are ticked: how many, the way to widen the selection to everyone the list matches
 * (loaded or not), and the actions. Each action opens its confirmation; nothing happens from here.
 */
export function BulkBar({
  selected,
  allMatching,
  matchingTotal,
  onSelectAll,
  onClear,
  onAction,
}: {
  selected: number
  allMatching: boolean
  /** How many users the list's search, filter and role match (undefined while counting). */
  matchingTotal: number | undefined
  onSelectAll: () => void
  onClear: () => void
  onAction: (action: BulkAction) => void
}) {
  const { t } = useTranslation('users')
  const count = allMatching ? (matchingTotal ?? 0) : selected
  return (
    <div role="region" aria-label={t('bulk.bar')} className={styles.bar}>
      <span className={styles.count} role="status">
        {allMatching ? t('bulk.allSelected', { count }) : t('bulk.selected', { count })}
      </span>
      {!allMatching && matchingTotal !== undefined && matchingTotal > selected && (
        <Button variant="ghost" className="link-button" onClick={onSelectAll}>
          {t('bulk.selectAll', { count: matchingTotal })}
        </Button>
      )}
      <Button variant="ghost" className="link-button" onClick={onClear}>
        {t('bulk.clear')}
      </Button>
      <div className={styles.actions}>
        {bulkActions.map((a) => (
          <Button
            key={a}
            variant="secondary"
            className={dangerousBulkActions.has(a) ? styles.danger : undefined}
            onClick={() => onAction(a)}
          >
            {t(`bulk.action.${a}.button`)}
          </Button>
        ))}
      </div>
    </div>
  )
}
