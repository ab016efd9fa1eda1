import { useState } from 'react'
import type { RecoveryRequestSummaryDto } from '../../../../shared/dto'
import { recoveryStatuses } from '../../../../shared/schemas'
import { messageOf } from '../../api'
import { roleLabel } from '../../session/roles'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { useNavigate } from '../shell/navigation'
import { dateTime } from '../users/format'
import { recoveryFilterLabel } from './format'
import { RECOVERY_PAGE_SIZE, useRecoveryRequests, type RecoveryFilter } from './queries'
import { RecoveryStatusBadge } from './RecoveryStatusBadge'

const filters: readonly RecoveryFilter[] = ['live', 'all', ...recoveryStatuses]

function RequestRow({ r, open }: { r: RecoveryRequestSummaryDto; open: () => void }) {
  return (
    <tr className="row-clickable" onClick={open}>
      <td className="num">#{r.id}</td>
      <td>
        <RecoveryStatusBadge status={r.status} />
      </td>
      <td>
        {/* A real button, so the keyboard reaches each request as the mouse does by clicking the row. */}
        <button
          type="button"
          className="row-link"
          onClick={(e) => {
            e.stopPropagation()
            open()
          }}
        >
          {r.user.name}
        </button>
        <div className="muted small">{r.user.email}</div>
      </td>
      <td>{roleLabel[r.user.role]}</td>
      <td className="nowrap">{dateTime(r.createdAt)}</td>
      <td className="nowrap">{dateTime(r.expiresAt)}</td>
      <td className="num">{r.checkCount}</td>
      <td className="num">
        {r.approvals}/{r.approvalsRequired}
      </td>
    </tr>
  )
}

/** The support queue: requests from people who lost their second factor, newest first. */
export function RecoveryPage({
  initialFilter = 'live',
  pageSize = RECOVERY_PAGE_SIZE,
}: {
  initialFilter?: RecoveryFilter
  pageSize?: number
}) {
  const navigate = useNavigate()
  const [filter, setFilter] = useState<RecoveryFilter>(initialFilter)
  const pages = useRecoveryRequests(filter, pageSize)
  const rows = pages.data?.pages.flatMap((p) => p.requests) ?? []
  const liveCount = pages.data?.pages[0]?.liveCount

  return (
    <div className="page page-wide">
      <div className="page-title">
        <h1>Recovery</h1>
        <Button
          variant="secondary"
          onClick={() => void pages.refetch()}
          busy={pages.isFetching && !pages.isFetchingNextPage}
        >
          Refresh
        </Button>
      </div>
      <p className="muted">
        People who lost their authenticator ask for help after their password. Check who they are (at least
        two checks), approve, then issue a temporary access code. Nothing changes for them before that.
      </p>
      <div role="group" aria-label="Filter" className="chips">
        {filters.map((f) => (
          <button
            key={f}
            type="button"
            className="chip"
            aria-pressed={filter === f}
            onClick={() => setFilter(f)}
          >
            {recoveryFilterLabel[f]}
            {f === 'live' && liveCount !== undefined && ` (${liveCount})`}
          </button>
        ))}
      </div>
      {pages.isPending && <p className="muted">Loading…</p>}
      {pages.isError && <Alert>{messageOf(pages.error)}</Alert>}
      {pages.data && rows.length === 0 && (
        <p className="muted">{filter === 'live' ? 'No request is waiting for support.' : 'No requests.'}</p>
      )}
      {rows.length > 0 && (
        <div className="panel table-panel">
          <table className="table" aria-label="Recovery requests">
            <thead>
              <tr>
                <th scope="col" className="num">
                  #
                </th>
                <th scope="col">Status</th>
                <th scope="col">Person</th>
                <th scope="col">Role</th>
                <th scope="col">Filed</th>
                <th scope="col">Expires</th>
                <th scope="col" className="num">
                  Checks
                </th>
                <th scope="col" className="num">
                  Approvals
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <RequestRow
                  key={r.id}
                  r={r}
                  open={() => navigate({ page: 'recovery-request', requestId: r.id })}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pages.hasNextPage && (
        <div>
          <Button
            variant="secondary"
            onClick={() => void pages.fetchNextPage()}
            busy={pages.isFetchingNextPage}
          >
            Load older
          </Button>
        </div>
      )}
    </div>
  )
}
