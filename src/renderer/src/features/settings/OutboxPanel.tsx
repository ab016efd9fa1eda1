import { Fragment, type ReactNode } from 'react'
import { messageOf } from '../../api'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { Panel } from '../../ui/Layout'
import { formatDateTime } from '../../format/time'

// What the SMS outbox and the email outbox share: the panel with Refresh and "Load older", and the cells
// for when a message was queued and sent, where it stands, and how its attempts went.

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
          Refresh
        </Button>
      }
    >
      <p className="muted">{intro}</p>
      {outbox.isPending && <p className="muted">Loading…</p>}
      {outbox.isError && <Alert>{messageOf(outbox.error)}</Alert>}
      {outbox.data && rows.length === 0 && <p className="muted">No messages yet.</p>}
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
            Load older
          </Button>
        </div>
      )}
    </Panel>
  )
}

/** When the message was queued, and sent. */
export function QueuedAtCell({ m }: { m: OutboxMessage }) {
  return (
    <td>
      {time(m.createdAt)}
      {m.sentAt !== null && (
        <div className="muted small">
          {m.provider === 'outbox' ? 'Kept' : 'Sent'} {time(m.sentAt)}
        </div>
      )}
    </td>
  )
}

/** Where the message stands (its badge), whether it stayed in the local outbox, and its next try. */
export function DeliveryCell({ m, badge }: { m: OutboxMessage; badge: ReactNode }) {
  return (
    <td>
      {badge}
      {m.provider === 'outbox' && <div className="muted small">Local outbox</div>}
      {m.status === 'queued' && m.nextAttemptAt !== null && (
        <div className="muted small">Next try {time(m.nextAttemptAt)}</div>
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
