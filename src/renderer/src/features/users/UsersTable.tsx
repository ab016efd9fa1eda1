import { useQueryClient } from '@tanstack/react-query'
import { memo, useCallback, useEffect, useMemo } from 'react'
import type { UserSummaryDto } from '../../../../shared/dto'
import { messageOf } from '../../api'
import { roleLabel } from '../../session/roles'
import { Alert } from '../../ui/Alert'
import { VirtualTable, type Column } from '../../ui/VirtualTable'
import { useNavigate } from '../shell/navigation'
import { backupCodesLabel, dateTime, isLocked, lockLabel, statusLabel, twoFactorLabel } from './format'
import { trimUserLists, useUserPages, type UsersQuery } from './queries'

const columnsFor = (open: (u: UserSummaryDto) => void): Column<UserSummaryDto>[] => [
  {
    id: 'name',
    header: 'Name',
    width: 'minmax(8rem, 1.2fr)',
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
    className: 'ellipsis',
  },
  {
    id: 'email',
    header: 'Email',
    width: 'minmax(10rem, 1.6fr)',
    cell: (u) => u.email,
    className: 'ellipsis',
  },
  { id: 'role', header: 'Role', width: '6.5rem', cell: (u) => roleLabel[u.role] },
  {
    id: '2fa',
    header: '2FA',
    width: '5.5rem',
    cell: (u) => <span className={`pill pill-${u.twoFactor}`}>{twoFactorLabel[u.twoFactor]}</span>,
  },
  { id: 'codes', header: 'Backup codes', width: '7rem', cell: backupCodesLabel, className: 'num' },
  {
    id: 'login',
    header: 'Last login',
    width: '9.5rem',
    cell: (u) => (u.lastLoginAt === null ? 'Never' : dateTime(u.lastLoginAt)),
  },
  {
    id: 'lock',
    header: 'Lock',
    width: 'minmax(6rem, 1fr)',
    cell: (u) => <span className={isLocked(u) ? 'text-danger' : undefined}>{lockLabel(u)}</span>,
    className: 'ellipsis',
  },
  { id: 'status', header: 'Status', width: '5rem', cell: (u) => statusLabel[u.status] },
]

const noRows: UserSummaryDto[] = []
const rowKey = (u: UserSummaryDto): number => u.id

/**
 * The Users page's rows: keyset pages from main, loaded as the scroll nears the last one. Memoized, and
 * its rows and columns kept stable, so typing in the search box redraws nothing until the query changes.
 */
export const UsersTable = memo(function UsersTable({
  query,
  pageSize,
}: {
  query: UsersQuery
  pageSize?: number
}) {
  const navigate = useNavigate()
  const open = useCallback((u: UserSummaryDto): void => navigate({ page: 'user', userId: u.id }), [navigate])
  const columns = useMemo(() => columnsFor(open), [open])
  const pages = useUserPages(query, pageSize)
  const client = useQueryClient()
  // The first date drawn builds the locale's formatter, a few milliseconds: build it while the first
  // page is on its way (this runs after the query has sent its call), not between its answer and paint.
  useEffect(() => void dateTime(0), [])
  // Leaving the page (to a user's page, say) keeps one page per list, so coming back costs one call.
  useEffect(() => () => trimUserLists(client), [client])
  // Structural sharing keeps pages that did not change identical, so their rows redraw nothing.
  const rows = useMemo(() => pages.data?.pages.flatMap((p) => p.users) ?? noRows, [pages.data])

  if (pages.isPending) return <p className="muted">Loading…</p>
  if (pages.isError) return <Alert>{messageOf(pages.error)}</Alert>
  const footer = pages.isFetchingNextPage
    ? 'Loading more…'
    : `${rows.length} ${rows.length === 1 ? 'user' : 'users'}${pages.hasNextPage ? ' loaded' : ''}`
  if (rows.length === 0) return <p className="muted">No users match.</p>
  return (
    <VirtualTable
      label="Users"
      rows={rows}
      columns={columns}
      rowKey={rowKey}
      onRowClick={open}
      onNearEnd={() => {
        if (pages.hasNextPage && !pages.isFetchingNextPage) void pages.fetchNextPage()
      }}
      footer={<span role="status">{footer}</span>}
    />
  )
})
