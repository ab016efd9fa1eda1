import { Trans, useTranslation } from 'react-i18next'
import type { SmsDelivery } from '../../../../shared/schemas'

/**
 * What became of the text message with a person's code, in plain words. Without an SMS provider the
 * message stays in this Tessera's local outbox: saying "we sent a code" would send them waiting for a
 * text that never comes.
 */
export function SmsCodeStatus({ masked, delivery }: { masked: string; delivery?: SmsDelivery | undefined }) {
  const { t } = useTranslation('phone')
  const text = (key: 'keptLocally' | 'queued' | 'notDelivered' | 'delivered' | 'sent' | 'requested') => (
    <Trans
      t={t}
      i18nKey={`smsStatus.${key}`}
      values={{ phone: masked }}
      components={{ phone: <strong className="mono" /> }}
    />
  )
  switch (delivery) {
    case 'kept-locally':
      return (
        <p role="status" className="alert alert-warning">
          {text('keptLocally')}
        </p>
      )
    case 'queued':
      return (
        <p role="status" className="alert alert-warning">
          {text('queued')}
        </p>
      )
    case 'not-delivered':
      return (
        <p role="alert" className="alert alert-error">
          {text('notDelivered')}
        </p>
      )
    case 'delivered':
      return <p role="status">{text('delivered')}</p>
    case 'sent':
      return <p role="status">{text('sent')}</p>
    default:
      // A code asked for earlier (the page was left and opened again): its fate is not known here.
      return <p role="status">{text('requested')}</p>
  }
}
