import type { EmailOutboxEntryDto } from '../../../../shared/dto'
import { EMAIL_OUTBOX_PAGE_SIZE, useEmailOutbox } from './emailQueries'
import { AttemptCells, DeliveryCell, OutboxPanel, QueuedAtCell } from './OutboxPanel'

const kindLabel: Record<string, string> = {
  test: 'Test',
  invitation: 'Invitation',
  password_reset: 'Password reset',
}

/** Where a message stands; a queued message that was already tried waits for its retry. */
export function emailStatusLabel(m: Pick<EmailOutboxEntryDto, 'status' | 'attempts'>): string {
  switch (m.status) {
    case 'queued':
      return m.attempts > 0 ? 'Waiting for retry' : 'Queued'
    case 'sending':
      return 'Sending'
    case 'sent':
      return 'Sent'
    case 'failed':
      return 'Failed'
  }
}

export function EmailStatusBadge({ entry }: { entry: Pick<EmailOutboxEntryDto, 'status' | 'attempts'> }) {
  return <span className={`pill email-status email-status-${entry.status}`}>{emailStatusLabel(entry)}</span>
}

function MessageRow({ m }: { m: EmailOutboxEntryDto }) {
  return (
    <tr>
      <QueuedAtCell m={m} />
      <td className="nowrap">{m.to}</td>
      <td className="email-subject">
        <div className="muted small">{kindLabel[m.kind] ?? 'Security notice'}</div>
        <details>
          <summary>{m.subject}</summary>
          <p className="email-text prewrap">{m.text}</p>
        </details>
      </td>
      <DeliveryCell m={m} badge={<EmailStatusBadge entry={m} />} />
      <AttemptCells m={m} />
    </tr>
  )
}

const columns = ['Time', 'To', 'Subject', 'Status', 'Attempts', 'Last error']

/** Every email Tessera queued, newest first; codes in the texts are replaced by dots. */
export function EmailOutbox({ pageSize = EMAIL_OUTBOX_PAGE_SIZE }: { pageSize?: number }) {
  return (
    <OutboxPanel
      title="Email outbox"
      intro="Every email Tessera has queued, newest first. Open a subject to read the text; codes in it are hidden."
      outbox={useEmailOutbox(pageSize)}
      tableLabel="Email messages"
      columns={columns}
      row={(m) => <MessageRow m={m} />}
    />
  )
}
