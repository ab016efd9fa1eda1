import { useTranslation } from 'react-i18next'
import { formatDateTime } from '../../format/time'
import { Button } from '../../ui/Button'

/** Inside the grace period, a user required to have 2FA is reminded on every page until they set it up. */
export function GraceBanner({ dueAt, onSetUp }: { dueAt: number; onSetUp: () => void }) {
  const { t } = useTranslation('shell')
  return (
    <div role="status" className="alert alert-warning notice">
      <p>{t('grace.text', { at: formatDateTime(dueAt) })}</p>
      <Button variant="secondary" onClick={onSetUp}>
        {t('grace.goToProfile')}
      </Button>
    </div>
  )
}
