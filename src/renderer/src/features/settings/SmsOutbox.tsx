import { useTranslation } from 'react-i18next'
import type { SmsOutboxEntryDto } from '../../../../shared/dto'
import { smsDeliveryOf } from '../../../../shared/schemas'
import { AttemptCells, DeliveryCell, OutboxPanel, QueuedAtCell } from './OutboxPanel'
import type { SettingsT } from './providerParts'
import { SMS_OUTBOX_PAGE_SIZE, useSmsOutbox } from './smsQueries'
import styles from './SmsOutbox.module.css'

/** Where a message stands: one kept in the local outbox never left this machine, whatever its status. */
export function StatusBadge({ entry }: { entry: Pick<SmsOutboxEntryDto, 'status' | 'provider'> }) {
  const { t } = useTranslation('settings')
  const delivery = smsDeliveryOf(entry)
  const label = entry.status === 'sending' ? t('smsOutbox.sending') : t(`smsOutbox.delivery.${delivery}`)
  return <span className={`pill ${styles[delivery] ?? ''}`}>{label}</span>
}

const kindLabel = (t: SettingsT, kind: string): string => (kind === 'test' ? t('smsOutbox.kind.test') : kind)

function MessageRow({ m, t }: { m: SmsOutboxEntryDto; t: SettingsT }) {
  return (
    <tr>
      <QueuedAtCell m={m} t={t} />
      <td className="mono nowrap">{m.to}</td>
      <td>{kindLabel(t, m.kind)}</td>
      <DeliveryCell m={m} t={t} badge={<StatusBadge entry={m} />} />
      <AttemptCells m={m} />
      <td className="details">{m.text}</td>
    </tr>
  )
}

export function SmsOutbox({ pageSize = SMS_OUTBOX_PAGE_SIZE }: { pageSize?: number }) {
  const { t } = useTranslation('settings')
  const columns = ['time', 'to', 'kind', 'status', 'attempts', 'lastError', 'text'] as const
  return (
    <OutboxPanel
      title={t('smsOutbox.title')}
      intro={t('smsOutbox.intro')}
      outbox={useSmsOutbox(pageSize)}
      tableLabel={t('smsOutbox.label')}
      columns={columns.map((c) => t(`outbox.${c}`))}
      row={(m) => <MessageRow m={m} t={t} />}
    />
  )
}
