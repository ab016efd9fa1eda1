import { useQueryClient } from '@tanstack/react-query'
import { memo, useCallback, useEffect, useMemo, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { messageWith, useMemoizedT } from '../../i18n'
import type { UserSummaryDto } from '../../../../shared/dto'
import { roles, type Role } from '../../../../shared/schemas'
import { messageOf } from '../../api'
import { Alert } from '../../ui/Alert'
import { VirtualTable, type Column } from '../../ui/VirtualTable'
import { useNavigate } from '../shell/navigation'
import { backupCodesLabel, dateTime, roleLabel, statusLabel, twoFactorLabel, type UsersT } from './format'
import {
  trimUserLists,
  usePrefetchUser,
  usePrefetchNeighbours,
  useUserPages,
  type UsersQuery,
} from './queries'
import { RiskCell } from './risk'
import styles from './UsersTable.module.css'

/** The words the cells draw, looked up once per language rather than once per row. */
const cellWords = (t: UsersT) => ({
  never: t('never'),
  role: Object.fromEntries(roles.map((r) => [r, roleLabel(t, r)])) as Record<Role, string>,
  twoFactor: {
    enrolled: twoFactorLabel(t, 'enrolled'),
    required: twoFactorLabel(t, 'required'),
    off: twoFactorLabel(t, 'off'),
  },
  status: {
    active: statusLabel(t, 'active'),
    invited: statusLabel(t, 'invited'),
    disabled: statusLabel(t, 'disabled'),
  },
})

const twoFactorPill: Record<UserSummaryDto['twoFactor'], string | undefined> = {
  enrolled: styles.enrolled,
  required: styles.required,
  off: styles.off,
}

const columnsFor = (t: UsersT, open: (u: UserSummaryDto) => void): Column<UserSummaryDto>[] => {
  const words = cellWords(t)
  return [
    {
      id: 'name',
      header: t('table.name'),
      width: 'minmax(7.5rem, 1.2fr)',
      // A real button, so the keyboard reaches each user as the mouse does by clicking the row.
      cell: (u) => (
        <button
          type="button"
          className="row-link"
          onClick={(e) => {
            e.stopPropagation()
            open(u)
          }}
        >
          {u.name}
        </button>
      ),
      className: styles.ellipsis,
    },
    {
      id: 'email',
      header: t('table.email'),
      width: 'minmax(9rem, 1.6fr)',
      cell: (u) => u.email,
      className: styles.ellipsis,
    },
    { id: 'role', header: t('table.role'), width: '6.5rem', cell: (u) => words.role[u.role] },
    {
      id: '2fa',
      header: t('table.twoFactor'),
      width: '5.5rem',
      cell: (u) => (
        <span className={`pill ${twoFactorPill[u.twoFactor]}`}>{words.twoFactor[u.twoFactor]}</span>
      ),
    },
    {
      id: 'risk',
      header: t('table.risk'),
      width: 'minmax(8.5rem, 1.4fr)',
      // Holds the lock too ("Locked until …"), as the worst reasons come first.
      cell: (u) => <RiskCell user={u} t={t} />,
      className: styles.ellipsis,
    },
    { id: 'codes', header: t('table.codes'), width: '7rem', cell: backupCodesLabel, className: 'num' },
    {
      id: 'login',
      header: t('table.lastLogin'),
      width: '9.5rem',
      cell: (u) => (u.lastLoginAt === null ? words.never : dateTime(u.lastLoginAt)),
    },
    { id: 'status', header: t('table.status'), width: '5rem', cell: (u) => words.status[u.status] },
  ]
}

/** The rows ticked for a bulk action; `all`: everyone the list matches, loaded or not. */
export interface UsersSelection {
  selected: ReadonlySet<number>
  all: boolean
  toggle: (userId: number) => void
  /** Ticks or clears every loaded row (the header's box). */
  setRows: (userIds: number[], on: boolean) => void
}

/**
 * The tick box column, first: a click on it ticks the row and does not open the user. Its cells depend
 * on the selection only, so a new page of rows (which changes the header's box) redraws no row.
 */
const selectColumn = (
  t: UsersT,
  sel: UsersSelection,
  cell: Column<UserSummaryDto>['cell'],
  rows: readonly UserSummaryDto[],
): Column<UserSummaryDto> => {
  const ticked = sel.all || (rows.length > 0 && rows.every((u) => sel.selected.has(u.id)))
  return {
    id: 'select',
    header: (
      <input
        type="checkbox"
        aria-label={t('table.selectAll')}
        checked={ticked}
        onChange={(e) =>
          sel.setRows(
            rows.map((u) => u.id),
            e.target.checked,
          )
        }
      />
    ),
    width: '2.25rem',
    cell,
  }
}

const selectCell = (t: UsersT, sel: UsersSelection): Column<UserSummaryDto>['cell'] => {
  const label = messageWith((name) => t('table.select', { name }))
  return (u) => (
    <input
      type="checkbox"
      aria-label={label(u.name)}
      checked={sel.all || sel.selected.has(u.id)}
      onClick={(e) => e.stopPropagation()}
      onChange={() => sel.toggle(u.id)}
    />
  )
}

const noRows: UserSummaryDto[] = []
const rowKey = (u: UserSummaryDto): number => u.id
/** VirtualTable's default row height, and about a screenful of rows below the top one. */
const ROW_HEIGHT = 40
const SCREEN_ROWS = 30

/**
 * The Users page's rows: keyset pages from main, loaded as the scroll nears the last one. Memoized, and
 * its rows and columns kept stable, so typing in the search box redraws nothing until the query changes.
 */
export const UsersTable = memo(function UsersTable({
  query,
  pageSize,
  selection,
  initialScrollTop,
  onScrollTop,
}: {
  query: UsersQuery
  pageSize?: number
  /** Given to managers: a tick box on every row, for bulk actions. */
  selection?: UsersSelection | undefined
  initialScrollTop?: number | undefined
  onScrollTop?: ((scrollTop: number) => void) | undefined
}) {
  // One t for the whole table: the cells get their words from it, no row asks for its own.
  const t = useMemoizedT(useTranslation('users').t)
  const navigate = useNavigate()
  const prefetchUser = usePrefetchUser()
  const open = useCallback(
    (u: UserSummaryDto): void => {
      prefetchUser(u.id)
      navigate({ page: 'user', userId: u.id })
    },
    [prefetchUser, navigate],
  )
  const columns = useMemo(() => columnsFor(t, open), [t, open])
  const pages = useUserPages(query, pageSize)
  // Once this list's first page is on screen, the chips' and sorts' first pages are fetched ahead.
  usePrefetchNeighbours(
    query,
    pages.isSuccess && !pages.isPlaceholderData && !pages.isFetching && pages.data.pages.length === 1
      ? pages.dataUpdatedAt
      : 0,
    pageSize,
  )
  const client = useQueryClient()
  // The first date drawn builds the locale's formatter, a few milliseconds: build it while the first
  // page is on its way (this runs after the query has sent its call), not between its answer and paint.
  useEffect(() => void dateTime(0), [])
  // Leaving the page (to a user's page, say) keeps one page per list, so coming back costs one call;
  // the list shown keeps its pages down to where the person had scrolled, so they come back there.
  const scrolledRows = useRef(0)
  const shownQuery = useRef(query)
  useEffect(() => {
    shownQuery.current = query
  })
  useEffect(
    () => () =>
      trimUserLists(client, { query: shownQuery.current, rows: scrolledRows.current + SCREEN_ROWS }),
    [client],
  )
  // Structural sharing keeps pages that did not change identical, so their rows redraw nothing.
  const rows = useMemo(() => pages.data?.pages.flatMap((p) => p.users) ?? noRows, [pages.data])
  const tickCell = useMemo(() => selection && selectCell(t, selection), [t, selection])
  const shownColumns = useMemo(
    () => (selection && tickCell ? [selectColumn(t, selection, tickCell, rows), ...columns] : columns),
    [t, selection, tickCell, rows, columns],
  )

  if (pages.isPending) return <p className="muted">{t('loading')}</p>
  if (pages.isError) return <Alert>{messageOf(pages.error)}</Alert>
  const footer = pages.isFetchingNextPage
    ? t('table.loadingMore')
    : t(pages.hasNextPage ? 'table.countLoaded' : 'table.count', { count: rows.length })
  if (rows.length === 0) return <p className="muted">{t('table.noMatch')}</p>
  return (
    <VirtualTable
      label={t('table.label')}
      rows={rows}
      columns={shownColumns}
      rowKey={rowKey}
      onRowClick={open}
      onNearEnd={() => {
        if (pages.hasNextPage && !pages.isFetchingNextPage) void pages.fetchNextPage()
      }}
      footer={<span role="status">{footer}</span>}
      // A new search, filter or sort starts at the top of its list.
      scrollResetKey={query}
      initialScrollTop={initialScrollTop ?? 0}
      onScrollTop={(top) => {
        scrolledRows.current = Math.ceil(top / ROW_HEIGHT)
        onScrollTop?.(top)
      }}
    />
  )
})
