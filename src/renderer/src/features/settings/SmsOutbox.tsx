import type { SmsOutboxEntryDto } from '../../../../shared/dto'
import type { SmsStatusName } from '../../../../shared/schemas'
import { messageOf } from '../../api'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { Panel } from '../../ui/Layout'
import { SMS_OUTBOX_PAGE_SIZE, useSmsOutbox } from './smsQueries'

const statusLabel: Record<SmsStatusName, string> = {
  queued: 'Queued',
  sending: 'Sending',
  sent: 'Sent',
  delivered: 'Delivered',
  failed: 'Failed',
}

const kindLabel: Record<string, string> = {
  test: 'Test',
}

const time = (at: number): string => new Date(at).toLocaleString()

export function StatusBadge({ status }: { status: SmsStatusName }) {
  return <span className={`pill sms-status sms-status-${status}`}>{statusLabel[status]}</span>
}

function MessageRow({ m }: { m: SmsOutboxEntryDto }) {
  return (
    <tr>
      <td>
        {time(m.createdAt)}
        {m.sentAt !== null && <div className="muted small">Sent {time(m.sentAt)}</div>}
      </td>
      <td className="mono nowrap">{m.to}</td>
      <td>{kindLabel[m.kind] ?? m.kind}</td>
      <td>
        <StatusBadge status={m.status} />
        {m.provider === 'outbox' && <div className="muted small">Local outbox</div>}
        {m.status === 'queued' && m.nextAttemptAt !== null && (
          <div className="muted small">Next try {time(m.nextAttemptAt)}</div>
        )}
      </td>
      <td className="num">{m.attempts}</td>
      <td className={m.lastError ? 'text-danger' : 'muted'}>{m.lastError ?? '—'}</td>
      <td className="details">{m.text}</td>
    </tr>
  )
}

export function SmsOutbox({ pageSize = SMS_OUTBOX_PAGE_SIZE }: { pageSize?: number }) {
  const outbox = useSmsOutbox(pageSize)
  const rows = outbox.data?.pages.flatMap((p) => p.messages) ?? []

  return (
    <Panel
      title="SMS outbox"
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
      <p className="muted">
        Every text message Tessera has queued, newest first. Numbers are masked and codes hidden.
      </p>
      {outbox.isPending && <p className="muted">Loading…</p>}
      {outbox.isError && <Alert>{messageOf(outbox.error)}</Alert>}
      {outbox.data && rows.length === 0 && <p className="muted">No messages yet.</p>}
      {rows.length > 0 && (
        <table className="table" aria-label="SMS messages">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">To</th>
              <th scope="col">Kind</th>
              <th scope="col">Status</th>
              <th scope="col">Attempts</th>
              <th scope="col">Last error</th>
              <th scope="col">Text</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((m) => (
              <MessageRow key={m.id} m={m} />
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
