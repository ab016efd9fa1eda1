import { useTranslation } from 'react-i18next'
import type { EmailOutboxEntryDto } from '../../../../shared/dto'
import { EMAIL_OUTBOX_PAGE_SIZE, useEmailOutbox } from './emailQueries'
import { AttemptCells, DeliveryCell, OutboxPanel, QueuedAtCell } from './OutboxPanel'
import type { SettingsT } from './providerParts'
import styles from './EmailOutbox.module.css'

const kindLabel = (t: SettingsT, kind: string): string => {
  switch (kind) {
    case 'test':
    case 'invitation':
    case 'password_reset':
      return t(`emailOutbox.kind.${kind}`)
    default:
      return t('emailOutbox.kind.notice')
  }
}

/** Where a message stands; a queued message that was already tried waits for its retry. */
export function emailStatusLabel(t: SettingsT, m: Pick<EmailOutboxEntryDto, 'status' | 'attempts'>): string {
  if (m.status === 'queued' && m.attempts > 0) return t('emailOutbox.status.retry')
  return t(`emailOutbox.status.${m.status}`)
}

export function EmailStatusBadge({ entry }: { entry: Pick<EmailOutboxEntryDto, 'status' | 'attempts'> }) {
  const { t } = useTranslation('settings')
  return <span className={`pill ${styles[entry.status] ?? ''}`}>{emailStatusLabel(t, entry)}</span>
}

function MessageRow({ m, t }: { m: EmailOutboxEntryDto; t: SettingsT }) {
  return (
    <tr>
      <QueuedAtCell m={m} t={t} />
      <td className="nowrap">{m.to}</td>
      <td className={styles.subject}>
        <div className="muted small">{kindLabel(t, m.kind)}</div>
        <details>
          <summary>{m.subject}</summary>
          <p className={`${styles.text} prewrap`}>{m.text}</p>
        </details>
      </td>
      <DeliveryCell m={m} t={t} badge={<EmailStatusBadge entry={m} />} />
      <AttemptCells m={m} />
    </tr>
  )
}

/** Every email Tessera queued, newest first; codes in the texts are replaced by dots. */
export function EmailOutbox({ pageSize = EMAIL_OUTBOX_PAGE_SIZE }: { pageSize?: number }) {
  const { t } = useTranslation('settings')
  const columns = ['time', 'to', 'subject', 'status', 'attempts', 'lastError'] as const
  return (
    <OutboxPanel
      title={t('emailOutbox.title')}
      intro={t('emailOutbox.intro')}
      outbox={useEmailOutbox(pageSize)}
      tableLabel={t('emailOutbox.label')}
      columns={columns.map((c) => t(`outbox.${c}`))}
      row={(m) => <MessageRow m={m} t={t} />}
    />
  )
}
