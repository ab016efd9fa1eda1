import { useTranslation } from 'react-i18next'
import { messageOf } from '../../api'
import { Alert } from '../../ui/Alert'
import { Panel } from '../../ui/Layout'
import { useDatabaseStatus } from './queries'

/** Settings → Database: where the data lives and how it is protected. Nothing here needs acting on daily. */
export function DatabaseSection() {
  const { t } = useTranslation('settings')
  const status = useDatabaseStatus()
  return (
    <Panel title={t('database.title')}>
      {status.isPending && <p className="muted">{t('loading')}</p>}
      {status.isError && <Alert>{messageOf(status.error)}</Alert>}
      {status.data && (
        <dl className="facts">
          <dt>{t('database.engine')}</dt>
          <dd>{status.data.engine === 'postgres' ? t('database.postgres') : t('database.file')}</dd>
          <dt>{t('database.schema')}</dt>
          <dd>{status.data.schemaVersion}</dd>
          <dt>{t('database.keyStore')}</dt>
          <dd>{t(`database.keyStores.${status.data.keyStore}`)}</dd>
          <dt>{t('database.protection')}</dt>
          <dd>{status.data.cipher}</dd>
          <dt>{t('database.users')}</dt>
          <dd>{status.data.userCount}</dd>
          <dt>{t('database.auditEvents')}</dt>
          <dd>{status.data.auditEventCount}</dd>
          <dt>{t('database.auditHead')}</dt>
          <dd className="mono wrap">{status.data.auditHeadHash}</dd>
          <dt>{status.data.engine === 'postgres' ? t('database.server') : t('database.path')}</dt>
          <dd className="mono wrap">{status.data.path}</dd>
        </dl>
      )}
    </Panel>
  )
}
