import { Fragment, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { messageOf } from '../../api'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { Panel } from '../../ui/Layout'
import { formatDateTime } from '../../format/time'
import type { SettingsT } from './providerParts'

// What the SMS outbox and the email outbox share: the panel with Refresh and "Load older", and the cells
// for when a message was queued and sent, where it stands, and how its attempts went. The cells take the
// table's t: a row asks for no words of its own.

// Messages are listed in the order they were queued: their times go to the second.
export const time = (at: number): string => formatDateTime(at, { seconds: true })

/** What every outbox message tells about its delivery. */
export interface OutboxMessage {
  id: number
  createdAt: number
  sentAt: number | null
  provider: string | null
  status: string
  nextAttemptAt: number | null
  attempts: number
  lastError: string | null
}

/** The part of an outbox's infinite query the panel reads. */
export interface OutboxQuery<M> {
  data: { pages: readonly { messages: readonly M[] }[] } | undefined
  isPending: boolean
  isError: boolean
  error: unknown
  isFetching: boolean
  isFetchingNextPage: boolean
  hasNextPage: boolean
  refetch: () => Promise<unknown>
  fetchNextPage: () => Promise<unknown>
}

/** An outbox, newest first: a table of its messages, a row each, and "Load older" below. */
export function OutboxPanel<M extends OutboxMessage>({
  title,
  intro,
  outbox,
  tableLabel,
  columns,
  row,
}: {
  title: string
  intro: ReactNode
  outbox: OutboxQuery<M>
  tableLabel: string
  columns: readonly string[]
  /** The message's <tr> (keyed here), its cells in the order of the columns. */
  row: (m: M) => ReactNode
}) {
  const { t } = useTranslation('settings')
  const rows = outbox.data?.pages.flatMap((p) => p.messages) ?? []

  return (
    <Panel
      title={title}
      actions={
        <Button
          variant="secondary"
          onClick={() => void outbox.refetch()}
          busy={outbox.isFetching && !outbox.isFetchingNextPage}
        >
          {t('outbox.refresh')}
        </Button>
      }
    >
      <p className="muted">{intro}</p>
      {outbox.isPending && <p className="muted">{t('loading')}</p>}
      {outbox.isError && <Alert>{messageOf(outbox.error)}</Alert>}
      {outbox.data && rows.length === 0 && <p className="muted">{t('outbox.empty')}</p>}
      {rows.length > 0 && (
        <table className="table" aria-label={tableLabel}>
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((m) => (
              <Fragment key={m.id}>{row(m)}</Fragment>
            ))}
          </tbody>
        </table>
      )}
      {outbox.hasNextPage && (
        <div className="panel-footer">
          <Button
            variant="secondary"
            onClick={() => void outbox.fetchNextPage()}
            busy={outbox.isFetchingNextPage}
          >
            {t('outbox.older')}
          </Button>
        </div>
      )}
    </Panel>
  )
}

/** When the message was queued, and sent. */
export function QueuedAtCell({ m, t }: { m: OutboxMessage; t: SettingsT }) {
  return (
    <td>
      {time(m.createdAt)}
      {m.sentAt !== null && (
        <div className="muted small">
          {t(m.provider === 'outbox' ? 'outbox.kept' : 'outbox.sent', { at: time(m.sentAt) })}
        </div>
      )}
    </td>
  )
}

/** Where the message stands (its badge), whether it stayed in the local outbox, and its next try. */
export function DeliveryCell({ m, badge, t }: { m: OutboxMessage; badge: ReactNode; t: SettingsT }) {
  return (
    <td>
      {badge}
      {m.provider === 'outbox' && <div className="muted small">{t('outbox.local')}</div>}
      {m.status === 'queued' && m.nextAttemptAt !== null && (
        <div className="muted small">{t('outbox.nextTry', { at: time(m.nextAttemptAt) })}</div>
      )}
    </td>
  )
}

/** How many times it was tried, and what the provider said last. */
export function AttemptCells({ m }: { m: OutboxMessage }) {
  return (
    <>
      <td className="num">{m.attempts}</td>
      <td className={m.lastError ? 'text-danger' : 'muted'}>{m.lastError ?? '—'}</td>
    </>
  )
}
