import { useMemo, useState } from 'react'
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
import { filterLabel } from './format'
import { ImportDialog } from './ImportDialog'
import type { UserFilter, UserSort, UsersQuery } from './queries'
import { UsersTable } from './UsersTable'

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

/** Everyone in the account: search, filter, sort, and a table that stays fast at 100,000 rows. */
export function UsersPage({ user, initialFilter }: { user: SessionUser; initialFilter?: UserFilter }) {
  const manager = isManager(user)
  const policy = usePolicy()
  const [search, setSearch] = useState('')
  const [filter, setFilter] = useState<UserFilter | undefined>(initialFilter)
  const [role, setRole] = useState<Role | undefined>(undefined)
  const [sort, setSort] = useState<UserSort>('name')
  const [open, setOpen] = useState<'add' | 'import' | null>(null)
  const debouncedSearch = useDebounced(search, SEARCH_DEBOUNCE_MS).trim()
  // The same object until the query changes: a keystroke redraws the search box, not the table.
  const query = useMemo<UsersQuery>(
    () => ({ search: debouncedSearch, filter, role, sort }),
    [debouncedSearch, filter, role, sort],
  )

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
      <UsersTable query={query} />
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
