import { useEffect, useRef, useState, type CSSProperties, type ReactNode } from 'react'

export interface Column<T> {
  id: string
  header: string
  /** A CSS grid track: every row shares the header's columns. */
  width: string
  cell: (row: T) => ReactNode
  className?: string
}

/**
 * A table that draws only the rows in view (plus `overscan` above and below) inside a spacer as tall as
 * all rows: fixed row height makes the arithmetic exact, so 100,000 rows cost what 30 do.
 */
export function VirtualTable<T>({
  label,
  rows,
  columns,
  rowKey,
  rowHeight = 40,
  height = 480,
  overscan = 8,
  onRowClick,
  onNearEnd,
  footer,
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
  /** Called when the rows in view come within `overscan` of the last loaded one. */
  onNearEnd?: () => void
  footer?: ReactNode
}) {
  const viewport = useRef<HTMLDivElement>(null)
  const [scrollTop, setScrollTop] = useState(0)
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

  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan)
  const last = Math.min(rows.length, Math.ceil((scrollTop + viewHeight) / rowHeight) + overscan)
  const nearEnd = rows.length > 0 && last >= rows.length - overscan

  const nearEndRef = useRef(onNearEnd)
  useEffect(() => {
    nearEndRef.current = onNearEnd
  })
  useEffect(() => {
    if (nearEnd) nearEndRef.current?.()
  }, [nearEnd, rows.length])

  const grid: CSSProperties = { gridTemplateColumns: columns.map((c) => c.width).join(' ') }
  const visible = rows.slice(first, last)

  return (
    <div role="table" aria-label={label} aria-rowcount={rows.length + 1} className="vtable">
      <div role="rowgroup" className="vtable-head">
        <div role="row" aria-rowindex={1} className="vtable-row" style={grid}>
          {columns.map((c) => (
            <div key={c.id} role="columnheader" className={c.className}>
              {c.header}
            </div>
          ))}
        </div>
      </div>
      <div
        ref={viewport}
        className="vtable-viewport"
        // Short lists take only their rows' height; long ones scroll inside `height`.
        style={{ height: Math.min(height, Math.max(rows.length, 3) * rowHeight) }}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        data-testid="vtable-viewport"
      >
        <div role="rowgroup" className="vtable-body" style={{ height: rows.length * rowHeight }}>
          {visible.map((row, i) => {
            const index = first + i
            return (
              <div
                key={rowKey(row)}
                role="row"
                aria-rowindex={index + 2}
                className={onRowClick ? 'vtable-row vtable-row-link' : 'vtable-row'}
                style={{ ...grid, height: rowHeight, transform: `translateY(${index * rowHeight}px)` }}
                onClick={onRowClick ? () => onRowClick(row) : undefined}
              >
                {columns.map((c) => (
                  <div key={c.id} role="cell" className={c.className}>
                    {c.cell(row)}
                  </div>
                ))}
              </div>
            )
          })}
        </div>
      </div>
      {footer && <div className="vtable-footer">{footer}</div>}
    </div>
  )
}
