import { useCallback, useEffect, useMemo, useState } from 'react'
import type { SessionUser } from '../../../../shared/dto'
import { roles, userFilters, type Role } from '../../../../shared/schemas'
import { api, messageOf, unwrap } from '../../api'
import { isManager, roleLabel } from '../../session/roles'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { Field } from '../../ui/Field'
import { Select } from '../../ui/Select'
import { useDebounced } from '../../ui/useDebounced'
import { usePolicy } from '../settings/queries'
import { downloadText } from '../two-factor/backupCodesOut'
import { AddUserDialog } from './AddUserDialog'
import { BulkActionDialog } from './BulkActionDialog'
import { BulkBar } from './BulkBar'
import { savedUsersList, saveUsersList } from './listState'
import { filterLabel } from './format'
import { ImportDialog, UnsavedResentCodes } from './ImportDialog'
import {
  matchingTarget,
  useMatchingCount,
  type BulkAction,
  type UserFilter,
  type UserSort,
  type UsersQuery,
} from './queries'
import { UsersTable, type UsersSelection } from './UsersTable'

const sortLabel: Record<UserSort, string> = { name: 'Name', email: 'Email', 'last-login': 'Last login' }
/** Long enough that a word typed at speed asks main once, short enough that the rows follow the typing. */
const SEARCH_DEBOUNCE_MS = 150

function ExportButton() {
  const [busy, setBusy] = useState(false)
  const [alert, setAlert] = useState<string | null>(null)
  const exportCsv = async (): Promise<void> => {
    setBusy(true)
    setAlert(null)
    try {
      const { csv } = await unwrap(api().users.export())
      downloadText('tessera-users.csv', csv, 'text/csv;charset=utf-8')
    } catch (e) {
      setAlert(messageOf(e))
    } finally {
      setBusy(false)
    }
  }
  return (
    <>
      <Button variant="secondary" onClick={() => void exportCsv()} busy={busy}>
        Export CSV
      </Button>
      {alert && <Alert>{alert}</Alert>}
    </>
  )
}

const sameList = (a: UsersQuery, b: UsersQuery): boolean =>
  a.search === b.search && a.filter === b.filter && a.role === b.role && a.sort === b.sort

/** Everyone in the account: search, filter, sort, and a table that stays fast at 100,000 rows. */
export function UsersPage({ user, initialFilter }: { user: SessionUser; initialFilter?: UserFilter }) {
  const manager = isManager(user)
  const policy = usePolicy()
  // Back from a user's page (or the navigation), the list is as the person left it; a dashboard figure
  // opens a fresh list with its filter.
  const [restored] = useState(() => (initialFilter ? null : savedUsersList()))
  const [search, setSearch] = useState(restored?.search ?? '')
  const [filter, setFilter] = useState<UserFilter | undefined>(initialFilter ?? restored?.filter)
  const [role, setRole] = useState<Role | undefined>(restored?.role)
  const [sort, setSort] = useState<UserSort>(restored?.sort ?? 'name')
  const [open, setOpen] = useState<'add' | 'import' | null>(null)
  const debouncedSearch = useDebounced(search, SEARCH_DEBOUNCE_MS).trim()
  // The same object until the query changes: a keystroke redraws the search box, not the table.
  const query = useMemo<UsersQuery>(
    () => ({ search: debouncedSearch, filter, role, sort }),
    [debouncedSearch, filter, role, sort],
  )
  // A new query starts at its top; the same one (coming back) where the person had scrolled.
  // Once the person moves to another list, coming back to this one starts at its top again.
  const [leftRestored, setLeftRestored] = useState(false)
  if (!leftRestored && restored && !sameList(restored, query)) setLeftRestored(true)
  const initialScrollTop = !leftRestored && restored && sameList(restored, query) ? restored.scrollTop : 0
  useEffect(() => {
    const kept = savedUsersList()
    saveUsersList({ ...query, scrollTop: kept && sameList(kept, query) ? kept.scrollTop : 0 })
  }, [query])
  const onScrollTop = useCallback((scrollTop: number) => saveUsersList({ ...query, scrollTop }), [query])

  // Ticked rows for bulk actions; a new query starts with none.
  const [selected, setSelected] = useState<ReadonlySet<number>>(() => new Set())
  const [allMatching, setAllMatching] = useState(false)
  const [bulk, setBulk] = useState<BulkAction | null>(null)
  useEffect(() => {
    setSelected(new Set())
    setAllMatching(false)
  }, [query])
  const selection = useMemo<UsersSelection>(
    () => ({
      selected,
      all: allMatching,
      toggle: (id) => {
        setAllMatching(false)
        setSelected((s) => {
          const next = new Set(s)
          if (!next.delete(id)) next.add(id)
          return next
        })
      },
      setRows: (ids, on) => {
        setAllMatching(false)
        setSelected(on ? new Set(ids) : new Set())
      },
    }),
    [selected, allMatching],
  )
  const anySelected = allMatching || selected.size > 0
  const matching = useMatchingCount(query, manager && anySelected)
  const clearSelection = () => {
    setSelected(new Set())
    setAllMatching(false)
  }

  return (
    <div className="page page-wide">
      <div className="page-title">
        <h1>Users</h1>
        {manager && (
          <div className="panel-actions">
            <ExportButton />
            <Button variant="secondary" onClick={() => setOpen('import')}>
              Import CSV
            </Button>
            <Button onClick={() => setOpen('add')} disabled={!policy.data}>
              Add user
            </Button>
          </div>
        )}
      </div>
      <div className="toolbar">
        <Field
          label="Search"
          type="search"
          placeholder="Email or name starts with…"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          className="search-input"
        />
        <Select
          label="Role"
          value={role ?? ''}
          onChange={(e) => setRole(e.target.value === '' ? undefined : (e.target.value as Role))}
        >
          <option value="">All roles</option>
          {roles.map((r) => (
            <option key={r} value={r}>
              {roleLabel[r]}
            </option>
          ))}
        </Select>
        <Select label="Sort by" value={sort} onChange={(e) => setSort(e.target.value as UserSort)}>
          {(Object.keys(sortLabel) as UserSort[]).map((s) => (
            <option key={s} value={s}>
              {sortLabel[s]}
            </option>
          ))}
        </Select>
      </div>
      <div role="group" aria-label="Filter" className="chips">
        <button
          type="button"
          className="chip"
          aria-pressed={filter === undefined}
          onClick={() => setFilter(undefined)}
        >
          All
        </button>
        {userFilters.map((f) => (
          <button
            key={f}
            type="button"
            className="chip"
            aria-pressed={filter === f}
            onClick={() => setFilter(f)}
          >
            {filterLabel[f]}
          </button>
        ))}
      </div>
      {manager && <UnsavedResentCodes />}
      {manager && anySelected && (
        <BulkBar
          selected={selected.size}
          allMatching={allMatching}
          matchingTotal={matching.data}
          onSelectAll={() => setAllMatching(true)}
          onClear={clearSelection}
          onAction={setBulk}
        />
      )}
      <UsersTable
        query={query}
        selection={manager ? selection : undefined}
        initialScrollTop={initialScrollTop}
        onScrollTop={onScrollTop}
      />
      {bulk && (
        <BulkActionDialog
          action={bulk}
          target={allMatching ? matchingTarget(query) : { kind: 'ids', ids: [...selected] }}
          onClose={(ran) => {
            setBulk(null)
            if (ran) clearSelection()
          }}
        />
      )}
      {open === 'add' && policy.data && (
        <AddUserDialog
          actor={user}
          requireByDefault={policy.data.requireTwoFactorForNewUsers}
          onClose={() => setOpen(null)}
        />
      )}
      {open === 'import' && <ImportDialog onClose={() => setOpen(null)} />}
    </div>
  )
}
