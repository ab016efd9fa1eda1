import { useTranslation } from 'react-i18next'
import { Button } from '../../ui/Button'
import { useSmsConfig } from '../settings/smsQueries'

/**
 * For owners and admins, on every page while the local outbox is the SMS provider: codes and notices
 * by text message then never leave this machine, and people wait for texts that do not come.
 */
export function SmsSetupBanner({ onSetUp }: { onSetUp: () => void }) {
  const { t } = useTranslation('shell')
  const config = useSmsConfig()
  if (config.data?.provider !== 'outbox') return null
  return (
    // A landmark rather than a live region: it stands on every page, and is not news on each of them.
    <aside aria-label={t('sms.label')} className="alert alert-warning notice">
      <p>{t('sms.text')}</p>
      <Button variant="secondary" onClick={onSetUp}>
        {t('sms.setUp')}
      </Button>
    </aside>
  )
}
