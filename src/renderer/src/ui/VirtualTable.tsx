import { memo, useCallback, useEffect, useRef, useState, type CSSProperties, type ReactNode } from 'react'
import styles from './VirtualTable.module.css'

export interface Column<T> {
  id: string
  header: ReactNode
  /** A CSS grid track: every row shares the header's columns. */
  width: string
  cell: (row: T) => ReactNode
  className?: string
}

interface RowProps<T> {
  row: T
  index: number
  columns: readonly Column<T>[]
  gridTemplateColumns: string
  rowHeight: number
  onClick: ((row: T) => void) | undefined
}

/**
 * One drawn row. Memoized: a scroll, a new page or a filter's placeholder render redraws only the rows
 * whose data or position changed, which is what keeps a change under a frame at 100,000 users.
 */
const VirtualRow = memo(function VirtualRow<T>({
  row,
  index,
  columns,
  gridTemplateColumns,
  rowHeight,
  onClick,
}: RowProps<T>) {
  const style: CSSProperties = {
    gridTemplateColumns,
    height: rowHeight,
    transform: `translateY(${index * rowHeight}px)`,
  }
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      className={onClick ? `${styles.row} ${styles.rowLink}` : styles.row}
      style={style}
      onClick={onClick ? () => onClick(row) : undefined}
    >
      {columns.map((c) => (
        <div key={c.id} role="cell" className={c.className}>
          {c.cell(row)}
        </div>
      ))}
    </div>
  )
}) as <T>(props: RowProps<T>) => ReactNode

/** How close to the last loaded row the view comes before `onNearEnd` asks for more. */
const NEAR_END_ROWS = 8

/**
 * A table that draws only the rows in view (plus `overscan` above and below) inside a spacer as tall as
 * all rows: fixed row height makes the arithmetic exact, so 100,000 rows cost what 30 do.
 * Give it stable `columns` (and, for speed, a stable `rows` array): rows are memoized on both.
 */
export function VirtualTable<T>({
  label,
  rows,
  columns,
  rowKey,
  rowHeight = 40,
  height = 480,
  overscan = 4,
  onRowClick,
  onNearEnd,
  footer,
  initialScrollTop = 0,
  onScrollTop,
  scrollResetKey,
}: {
  label: string
  rows: readonly T[]
  columns: readonly Column<T>[]
  rowKey: (row: T) => string | number
  rowHeight?: number
  /** The viewport's height when it cannot be measured (jsdom has no layout). */
  height?: number
  overscan?: number
  onRowClick?: (row: T) => void
  /** Called when the rows in view come within NEAR_END_ROWS of the last loaded one. */
  onNearEnd?: () => void
  footer?: ReactNode
  /** Where the viewport starts (a list the person comes back to opens where they left it). */
  initialScrollTop?: number
  /** Called on every scroll with the viewport's offset. */
  onScrollTop?: (scrollTop: number) => void
  /** When this changes (another query), the viewport goes back to the first row. */
  scrollResetKey?: unknown
}) {
  const viewport = useRef<HTMLDivElement>(null)
  // The first row in view, not the pixel offset: scrolling within a row renders nothing.
  const [topRow, setTopRow] = useState(() => Math.floor(initialScrollTop / rowHeight))
  useEffect(() => {
    if (viewport.current && initialScrollTop > 0) viewport.current.scrollTop = initialScrollTop
    // Only where the table starts; later scrolling is the person's.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])
  const [viewHeight, setViewHeight] = useState(height)

  useEffect(() => {
    const el = viewport.current
    if (!el || typeof ResizeObserver === 'undefined') return
    const observer = new ResizeObserver(() => {
      if (el.clientHeight > 0) setViewHeight(el.clientHeight)
    })
    observer.observe(el)
    return () => observer.disconnect()
  }, [])

  const first = Math.max(0, topRow - overscan)
  const last = Math.min(rows.length, topRow + Math.ceil(viewHeight / rowHeight) + 1 + overscan)
  const shownKey = useRef(scrollResetKey)
  useEffect(() => {
    if (shownKey.current === scrollResetKey) return
    shownKey.current = scrollResetKey
    if (viewport.current) viewport.current.scrollTop = 0
    setTopRow(0)
  }, [scrollResetKey])

  const nearEnd = rows.length > 0 && last >= rows.length - NEAR_END_ROWS

  const nearEndRef = useRef(onNearEnd)
  const rowClickRef = useRef(onRowClick)
  useEffect(() => {
    nearEndRef.current = onNearEnd
    rowClickRef.current = onRowClick
  })
  useEffect(() => {
    if (nearEnd) nearEndRef.current?.()
  }, [nearEnd, rows.length])
  // One function for every render, so a parent's new closure does not redraw the rows.
  const clickRow = useCallback((row: T) => rowClickRef.current?.(row), [])

  const gridTemplateColumns = columns.map((c) => c.width).join(' ')
  const visible = rows.slice(first, last)

  return (
    // The footer (a live count) sits beside the table, not in it: a table may hold only row groups and rows.
    <div className={styles.table}>
      <div role="table" aria-label={label} aria-rowcount={rows.length + 1}>
        <div role="rowgroup" className={styles.head}>
          <div role="row" aria-rowindex={1} className={styles.row} style={{ gridTemplateColumns }}>
            {columns.map((c) => (
              <div key={c.id} role="columnheader" className={c.className}>
                {c.header}
              </div>
            ))}
          </div>
        </div>
        <div
          ref={viewport}
          className={styles.viewport}
          // Short lists take only their rows' height; long ones scroll inside `height`.
          style={{ height: Math.min(height, Math.max(rows.length, 3) * rowHeight) }}
          onScroll={(e) => {
            setTopRow(Math.floor(e.currentTarget.scrollTop / rowHeight))
            onScrollTop?.(e.currentTarget.scrollTop)
          }}
          data-testid="vtable-viewport"
        >
          <div
            role="rowgroup"
            className={styles.body}
            style={{ height: rows.length * rowHeight }}
            data-testid="vtable-body"
          >
            {visible.map((row, i) => (
              <VirtualRow
                key={rowKey(row)}
                row={row}
                index={first + i}
                columns={columns}
                gridTemplateColumns={gridTemplateColumns}
                rowHeight={rowHeight}
                onClick={onRowClick ? clickRow : undefined}
              />
            ))}
          </div>
        </div>
      </div>
      {footer && (
        <div className={styles.footer} data-testid="vtable-footer">
          {footer}
        </div>
      )}
    </div>
  )
}
