import { useCallback, useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useMemoizedT } from '../../i18n'
import type { SessionUser } from '../../../../shared/dto'
import { roles, userFilters, userSorts, type Role } from '../../../../shared/schemas'
import { messageOf } from '../../api'
import { isManager } from '../../session/roles'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { Field } from '../../ui/Field'
import { Select } from '../../ui/Select'
import { useDebounced } from '../../ui/useDebounced'
import { usePolicy } from '../settings/queries'
import { AddUserDialog } from './AddUserDialog'
import { BulkActionDialog } from './BulkActionDialog'
import { BulkBar } from './BulkBar'
import { savedUsersList, saveUsersList } from './listState'
import { SEARCH_DEBOUNCE_MS } from './searchDebounce'
import { filterLabel, roleLabel } from './format'
import { ImportDialog, UnsavedResentCodes } from './ImportDialog'
import {
  matchingTarget,
  useExportUsers,
  useMatchingCount,
  usePrefetchSearch,
  type BulkAction,
  type UserFilter,
  type UserSort,
  type UsersQuery,
} from './queries'
import { UsersTable, type UsersSelection } from './UsersTable'
import toolbar from './Toolbar.module.css'

function ExportButton() {
  const { t } = useTranslation('users')
  const exportUsers = useExportUsers()
  return (
    <>
      <Button variant="secondary" onClick={() => exportUsers.mutate()} busy={exportUsers.isPending}>
        {t('list.export')}
      </Button>
      {exportUsers.isError && <Alert>{messageOf(exportUsers.error)}</Alert>}
    </>
  )
}

const sameList = (a: UsersQuery, b: UsersQuery): boolean =>
  a.search === b.search && a.filter === b.filter && a.role === b.role && a.sort === b.sort

/** Everyone in the account: search, filter, sort, and a table that stays fast at 100,000 rows. */
export function UsersPage({ user, initialFilter }: { user: SessionUser; initialFilter?: UserFilter }) {
  const t = useMemoizedT(useTranslation('users').t)
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
  const prefetchSearch = usePrefetchSearch()
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
    // Nothing ticked (the usual case): no new Set, so a filter's change draws the table once, not twice.
    setSelected((s) => (s.size === 0 ? s : new Set()))
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
        <h1>{t('list.title')}</h1>
        {manager && (
          <div className="panel-actions">
            <ExportButton />
            <Button variant="secondary" onClick={() => setOpen('import')}>
              {t('list.import')}
            </Button>
            <Button onClick={() => setOpen('add')} disabled={!policy.data}>
              {t('list.add')}
            </Button>
          </div>
        )}
      </div>
      <div className={toolbar.toolbar}>
        <div className={toolbar.grow}>
          <Field
            label={t('list.search')}
            type="search"
            placeholder={t('list.searchPlaceholder')}
            value={search}
            onChange={(e) => {
              setSearch(e.target.value)
              prefetchSearch({ search: e.target.value, filter, role, sort })
            }}
          />
        </div>
        <Select
          label={t('list.role')}
          value={role ?? ''}
          onChange={(e) => setRole(e.target.value === '' ? undefined : (e.target.value as Role))}
        >
          <option value="">{t('list.allRoles')}</option>
          {roles.map((r) => (
            <option key={r} value={r}>
              {roleLabel(t, r)}
            </option>
          ))}
        </Select>
        <Select label={t('list.sortBy')} value={sort} onChange={(e) => setSort(e.target.value as UserSort)}>
          {userSorts.map((s) => (
            <option key={s} value={s}>
              {t(`list.sort.${s}`)}
            </option>
          ))}
        </Select>
      </div>
      <div role="group" aria-label={t('list.filters')} className="chips">
        <button
          type="button"
          className="chip"
          aria-pressed={filter === undefined}
          onClick={() => setFilter(undefined)}
        >
          {t('list.all')}
        </button>
        {userFilters.map((f) => (
          <button
            key={f}
            type="button"
            className="chip"
            aria-pressed={filter === f}
            onClick={() => setFilter(f)}
          >
            {filterLabel(t, f)}
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
