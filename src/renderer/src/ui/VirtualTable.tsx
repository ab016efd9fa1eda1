import {
  memo,
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type CSSProperties,
  type ReactNode,
} from 'react'
import { afterPaint } from './afterPaint'
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
  rowId: string | number
  index: number
  columns: readonly Column<T>[]
  gridTemplateColumns: string
  rowHeight: number
  onClick: ((row: T) => void) | undefined
}

/** The same cells: a column whose header alone changed (a select-all box, say) redraws no row. */
const sameCells = <T,>(a: readonly Column<T>[], b: readonly Column<T>[]): boolean =>
  a === b ||
  (a.length === b.length &&
    a.every((c, i) => c.id === b[i]!.id && c.cell === b[i]!.cell && c.className === b[i]!.className))

function sameRow<T>(a: RowProps<T>, b: RowProps<T>): boolean {
  return (
    a.row === b.row &&
    a.rowId === b.rowId &&
    a.index === b.index &&
    a.gridTemplateColumns === b.gridTemplateColumns &&
    a.rowHeight === b.rowHeight &&
    a.onClick === b.onClick &&
    sameCells(a.columns, b.columns)
  )
}

/**
 * One drawn row. Memoized: a scroll, a new page or a filter's placeholder render redraws only the rows
 * whose data or position changed, which is what keeps a change under a frame at 100,000 users. Its
 * element is kept for the next row drawn in its place (see the table's keys).
 */
const VirtualRow = memo(function VirtualRow<T>({
  row,
  rowId,
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
      data-row-id={rowId}
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
}, sameRow) as <T>(props: RowProps<T>) => ReactNode

/** How close to the last loaded row the view comes before `onNearEnd` asks for more. */
const NEAR_END_ROWS = 8

/**
 * A table that draws only the rows in view (plus `overscan` above and below, a frame after a new `rows`)
 * inside a spacer as tall as all rows: fixed row height makes the arithmetic exact, so 100,000 rows cost
 * what 30 do. Give it stable `columns` (and a stable `rows` array: a new one is a new list, drawn without
 * its overscan first): rows are memoized on both.
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
  // The viewport's offset as its scroll events last said: writing scrollTop lays the page out at once,
  // so the reset below writes only when the view is not already at the top.
  const scrolledTo = useRef(0)
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

  // The rows beyond the view are drawn once the view itself is painted: a new list (a filter, a sort,
  // the next page) first draws only what the person sees, and the rows a scroll needs next follow in a
  // task after that frame. Scrolling within the same list keeps them.
  const [overscanFor, setOverscanFor] = useState<readonly T[] | null>(null)
  useEffect(() => {
    if (overscanFor !== rows) return afterPaint(() => setOverscanFor(rows))
  }, [rows, overscanFor])
  const extra = overscanFor === rows ? overscan : 0
  // A view scrolled past the end (an offset the browser has yet to clamp) still draws the last screenful.
  const inView = Math.ceil(viewHeight / rowHeight)
  const top = Math.min(topRow, Math.max(0, rows.length - inView))
  const first = Math.max(0, top - extra)
  const last = Math.min(rows.length, top + inView + 1 + extra)
  const shownKey = useRef(scrollResetKey)
  // Before the new list is painted: it never shows at the old offset, and a scroll that comes after it
  // is on screen is never undone by a reset that ran late (a search's list is drawn from a timer, whose
  // effects React runs in a later task).
  useLayoutEffect(() => {
    if (shownKey.current === scrollResetKey) return
    shownKey.current = scrollResetKey
    if (viewport.current && scrolledTo.current !== 0) viewport.current.scrollTop = 0
    setTopRow(0)
  }, [scrollResetKey])

  // Focus inside a row does not follow into the next row drawn in its element: it is let go, as it
  // would be if the element were removed. One check per drawing of the table, not one per row.
  const body = useRef<HTMLDivElement>(null)
  const focusedRow = useRef<string | null>(null)
  useLayoutEffect(() => {
    const focused = document.activeElement
    if (focusedRow.current === null || !(focused instanceof HTMLElement)) return
    const row = body.current?.contains(focused) ? focused.closest('[data-row-id]') : null
    if (row && row.getAttribute('data-row-id') !== focusedRow.current) focused.blur()
  })

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
  // More places than rows ever drawn at once, so no two drawn rows share one.
  const slots = inView + 2 + 2 * overscan

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
            scrolledTo.current = e.currentTarget.scrollTop
            setTopRow(Math.floor(e.currentTarget.scrollTop / rowHeight))
            onScrollTop?.(e.currentTarget.scrollTop)
          }}
          data-testid="vtable-viewport"
        >
          <div
            ref={body}
            role="rowgroup"
            className={styles.body}
            onFocus={(e) => {
              focusedRow.current = e.target.closest('[data-row-id]')?.getAttribute('data-row-id') ?? null
            }}
            onBlur={() => {
              focusedRow.current = null
            }}
            style={{ height: rows.length * rowHeight }}
            data-testid="vtable-body"
          >
            {visible.map((row, i) => (
              <VirtualRow
                // Keyed by place, not by row: a new filter, sort or page of rows updates the elements
                // on screen instead of removing them and creating others (a third of the work a
                // change costs the browser at 100,000 users); scrolling reuses the element of the row
                // that left the view for the one that enters it.
                key={(first + i) % slots}
                rowId={rowKey(row)}
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
