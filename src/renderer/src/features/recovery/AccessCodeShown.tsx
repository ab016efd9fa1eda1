import { Trans, useTranslation } from 'react-i18next'
import type { AccessCodeIssuedDto, RecoveryRequestSummaryDto } from '../../../../shared/dto'
import { Button } from '../../ui/Button'
import { OneTimeCode } from '../../ui/OneTimeCode'
import { dateTime } from '../users/format'
import styles from './AccessCodeShown.module.css'

/**
 * What issuing a temporary access code gave. By SMS the agent never sees the code. Without a phone the
 * code is on screen this once, in even groups and spelled to read out; it lives only in this component's
 * parent state, so leaving the page (or "Hide the code") drops it for good. A request to reset a password ends with a
 * password reset code instead: by email (never seen by the agent) or, where no email leaves this
 * Tessera, shown the same way.
 */
export function AccessCodeShown({
  issued,
  purpose = '2fa',
  onHide,
}: {
  issued: AccessCodeIssuedDto
  /** What the request ends with: the words for a password reset code differ. */
  purpose?: RecoveryRequestSummaryDto['purpose']
  onHide: () => void
}) {
  const { t } = useTranslation('recovery')
  const em = { em: <em /> }
  if (issued.delivery === 'email') {
    return (
      <div role="status" className="alert alert-ok">
        <Trans
          t={t}
          i18nKey="issued.emailed"
          values={{ to: issued.to, until: dateTime(issued.expiresAt) }}
          components={{ ...em, to: <strong className="mono" /> }}
        />
      </div>
    )
  }
  if (issued.delivery === 'sms') {
    const phone = { phone: <strong className="mono" /> }
    const until = dateTime(issued.expiresAt)
    type Key =
      | 'issued.smsFailed'
      | 'issued.keptLocally'
      | 'issued.queued'
      | 'issued.queuedError'
      | 'issued.delivered'
      | 'issued.sent'
    const say = (key: Key, values: Record<string, string> = {}) => (
      <Trans t={t} i18nKey={key} values={{ phone: issued.phone, until, ...values }} components={phone} />
    )
    if (issued.sms.status === 'failed') {
      return (
        <div role="alert" className="alert alert-error">
          {say('issued.smsFailed', { error: issued.sms.lastError ?? '' })}
        </div>
      )
    }
    if (issued.sms.delivery === 'kept-locally') {
      return (
        <div role="alert" className="alert alert-warning">
          {say('issued.keptLocally')}
        </div>
      )
    }
    if (issued.sms.status === 'queued' || issued.sms.status === 'sending') {
      return (
        <div role="status" className="alert alert-warning">
          {issued.sms.lastError
            ? say('issued.queuedError', { error: issued.sms.lastError })
            : say('issued.queued')}
        </div>
      )
    }
    return (
      <div role="status" className="alert alert-ok">
        {say(issued.sms.delivery === 'delivered' ? 'issued.delivered' : 'issued.sent')}
      </div>
    )
  }
  const password = purpose === 'password'
  const until = dateTime(issued.expiresAt)
  return (
    <section
      className={styles.shown}
      aria-label={password ? t('issued.labelPassword') : t('issued.labelAccess')}
    >
      <p>
        <strong>{t('issued.readIt')}</strong>
      </p>
      <OneTimeCode
        code={issued.code}
        label={t('issued.code')}
        separator=" "
        className={styles.code ?? ''}
        focusOnShow
      />
      <p className="muted">
        <Trans
          t={t}
          i18nKey={password ? 'issued.password' : 'issued.access'}
          values={{ until }}
          components={em}
        />
      </p>
      <div className="form-actions">
        <Button variant="secondary" onClick={onHide}>
          {t('issued.hide')}
        </Button>
      </div>
    </section>
  )
}
