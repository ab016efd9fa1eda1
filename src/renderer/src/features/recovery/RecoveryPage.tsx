import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { RecoveryRequestSummaryDto } from '../../../../shared/dto'
import { recoveryStatuses } from '../../../../shared/schemas'
import { messageOf } from '../../api'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { useNavigate } from '../shell/navigation'
import { currentLocale } from '../../format/time'
import { dateTime } from '../users/format'
import { roleName } from './format'
import { RECOVERY_PAGE_SIZE, useRecoveryRequests, type RecoveryFilter } from './queries'
import { RecoveryStatusBadge } from './RecoveryStatusBadge'
import styles from './RecoveryPage.module.css'

const filters: readonly RecoveryFilter[] = ['live', 'all', ...recoveryStatuses]

function RequestRow({ r, open }: { r: RecoveryRequestSummaryDto; open: () => void }) {
  const { t } = useTranslation('recovery')
  return (
    <tr className={styles.row} onClick={open}>
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
      <td>{roleName(t, r.user.role)}</td>
      <td className="nowrap">{dateTime(r.createdAt)}</td>
      <td className="nowrap">{dateTime(r.expiresAt)}</td>
      <td className="num">{r.checkCount.toLocaleString(currentLocale())}</td>
      <td className="num">
        {t('queue.approvalsOf', { approvals: r.approvals, required: r.approvalsRequired })}
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
  const { t } = useTranslation('recovery')
  const navigate = useNavigate()
  const [filter, setFilter] = useState<RecoveryFilter>(initialFilter)
  const pages = useRecoveryRequests(filter, pageSize)
  const rows = pages.data?.pages.flatMap((p) => p.requests) ?? []
  const liveCount = pages.data?.pages[0]?.liveCount
  const filterLabel = (f: RecoveryFilter): string =>
    f === 'live' || f === 'all' ? t(`queue.filter.${f}`) : t(`status.${f}`)

  return (
    <div className="page page-wide">
      <div className="page-title">
        <h1>{t('queue.title')}</h1>
        <Button
          variant="secondary"
          onClick={() => void pages.refetch()}
          busy={pages.isFetching && !pages.isFetchingNextPage}
        >
          {t('queue.refresh')}
        </Button>
      </div>
      <p className="muted">{t('queue.intro')}</p>
      <div role="group" aria-label={t('queue.filters')} className="chips">
        {filters.map((f) => (
          <button
            key={f}
            type="button"
            className="chip"
            aria-pressed={filter === f}
            onClick={() => setFilter(f)}
          >
            {f === 'live' && liveCount !== undefined
              ? t('queue.withCount', { label: filterLabel(f), count: liveCount })
              : filterLabel(f)}
          </button>
        ))}
      </div>
      {pages.isPending && <p className="muted">{t('loading')}</p>}
      {pages.isError && <Alert>{messageOf(pages.error)}</Alert>}
      {pages.data && rows.length === 0 && (
        <p className="muted">{filter === 'live' ? t('queue.noneWaiting') : t('queue.none')}</p>
      )}
      {rows.length > 0 && (
        <div className={`panel ${styles.tablePanel}`}>
          <table className="table" aria-label={t('queue.label')}>
            <thead>
              <tr>
                <th scope="col" className="num">
                  #
                </th>
                <th scope="col">{t('queue.status')}</th>
                <th scope="col">{t('queue.person')}</th>
                <th scope="col">{t('queue.role')}</th>
                <th scope="col">{t('queue.filed')}</th>
                <th scope="col">{t('queue.expires')}</th>
                <th scope="col" className="num">
                  {t('queue.checks')}
                </th>
                <th scope="col" className="num">
                  {t('queue.approvals')}
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
            {t('queue.older')}
          </Button>
        </div>
      )}
    </div>
  )
}
