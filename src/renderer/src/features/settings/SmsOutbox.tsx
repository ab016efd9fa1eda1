import type { SmsOutboxEntryDto } from '../../../../shared/dto'
import { smsDeliveryOf, type SmsDelivery } from '../../../../shared/schemas'
import { AttemptCells, DeliveryCell, OutboxPanel, QueuedAtCell } from './OutboxPanel'
import { SMS_OUTBOX_PAGE_SIZE, useSmsOutbox } from './smsQueries'

const deliveryLabel: Record<SmsDelivery, string> = {
  'kept-locally': 'Not sent',
  queued: 'Queued',
  sent: 'Sent',
  delivered: 'Delivered',
  'not-delivered': 'Not delivered',
}

const kindLabel: Record<string, string> = {
  test: 'Test',
}

/** Where a message stands: one kept in the local outbox never left this machine, whatever its status. */
export function StatusBadge({ entry }: { entry: Pick<SmsOutboxEntryDto, 'status' | 'provider'> }) {
  const delivery = smsDeliveryOf(entry)
  const label = entry.status === 'sending' ? 'Sending' : deliveryLabel[delivery]
  return <span className={`pill sms-status sms-status-${delivery}`}>{label}</span>
}

function MessageRow({ m }: { m: SmsOutboxEntryDto }) {
  return (
    <tr>
      <QueuedAtCell m={m} />
      <td className="mono nowrap">{m.to}</td>
      <td>{kindLabel[m.kind] ?? m.kind}</td>
      <DeliveryCell m={m} badge={<StatusBadge entry={m} />} />
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
