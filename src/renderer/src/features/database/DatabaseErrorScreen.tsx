import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { Button } from '../../ui/Button'
import { AuthLayout } from '../../ui/Layout'

/** A team database's server that does not answer yet: the console asks again on its own. */
const WAITS_FOR_SERVER = new Set(['DB_REFUSED'])
const RETRY_MS = 3000

/** The database cannot be opened. Nothing was changed; say why, and offer only to look again. */
export function DatabaseErrorScreen({
  code,
  message,
  onRetry,
  retrying = false,
}: {
  code: string
  message: string
  onRetry: () => void
  retrying?: boolean
}) {
  const { t } = useTranslation('database')
  const waiting = WAITS_FOR_SERVER.has(code)
  useEffect(() => {
    if (!waiting) return
    const timer = setInterval(onRetry, RETRY_MS)
    return () => clearInterval(timer)
  }, [waiting, onRetry])
  return (
    <AuthLayout title={waiting ? t('error.waitingTitle') : t('error.title')}>
      <div role="alert" className="alert alert-error">
        <p>{message}</p>
        <p className="mono">{t('error.code', { code })}</p>
      </div>
      <p className="muted">{waiting ? t('error.waiting') : t('error.unchanged')}</p>
      <Button onClick={onRetry} busy={retrying}>
        {t('error.retry')}
      </Button>
    </AuthLayout>
  )
}
