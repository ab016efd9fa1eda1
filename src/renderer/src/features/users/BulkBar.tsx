import { bulkActions } from '../../../../shared/schemas'
import { Button } from '../../ui/Button'
import { bulkActionText, usersCount } from './BulkActionDialog'
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
  const count = allMatching ? (matchingTotal ?? 0) : selected
  return (
    <div role="region" aria-label="Selected users" className={styles.bar}>
      <span className={styles.count} role="status">
        {allMatching
          ? `All ${usersCount(count)} matching this filter selected`
          : `${count.toLocaleString('en-US')} selected`}
      </span>
      {!allMatching && matchingTotal !== undefined && matchingTotal > selected && (
        <Button variant="ghost" className="link-button" onClick={onSelectAll}>
          Select all {matchingTotal.toLocaleString('en-US')} matching this filter
        </Button>
      )}
      <Button variant="ghost" className="link-button" onClick={onClear}>
        Clear selection
      </Button>
      <div className={styles.actions}>
        {bulkActions.map((a) => (
          <Button
            key={a}
            variant="secondary"
            className={bulkActionText[a].danger ? styles.danger : undefined}
            onClick={() => onAction(a)}
          >
            {bulkActionText[a].button}
          </Button>
        ))}
      </div>
    </div>
  )
}
