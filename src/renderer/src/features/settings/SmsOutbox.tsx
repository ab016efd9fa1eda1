import type { SmsOutboxEntryDto } from '../../../../shared/dto'
import type { SmsStatusName } from '../../../../shared/schemas'
import { AttemptCells, DeliveryCell, OutboxPanel, QueuedAtCell } from './OutboxPanel'
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

export function StatusBadge({ status }: { status: SmsStatusName }) {
  return <span className={`pill sms-status sms-status-${status}`}>{statusLabel[status]}</span>
}

function MessageRow({ m }: { m: SmsOutboxEntryDto }) {
  return (
    <tr>
      <QueuedAtCell m={m} />
      <td className="mono nowrap">{m.to}</td>
      <td>{kindLabel[m.kind] ?? m.kind}</td>
      <DeliveryCell m={m} badge={<StatusBadge status={m.status} />} />
      <AttemptCells m={m} />
      <td className="details">{m.text}</td>
    </tr>
  )
}

const columns = ['Time', 'To', 'Kind', 'Status', 'Attempts', 'Last error', 'Text']

export function SmsOutbox({ pageSize = SMS_OUTBOX_PAGE_SIZE }: { pageSize?: number }) {
  return (
    <OutboxPanel
      title="SMS outbox"
      intro="Every text message Tessera has queued, newest first. Numbers are masked and codes hidden."
      outbox={useSmsOutbox(pageSize)}
      tableLabel="SMS messages"
      columns={columns}
      row={(m) => <MessageRow m={m} />}
    />
  )
}
