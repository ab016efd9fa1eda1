import { messageOf } from '../../api'
import { Alert } from '../../ui/Alert'
import { Panel } from '../../ui/Layout'
import { useDatabaseStatus } from './queries'

const KEY_STORES = {
  keychain: 'OS keychain',
  passphrase: 'Passphrase',
  team: 'Team key (team passphrase)',
} as const

/** Settings → Database: where the data lives and how it is protected. Nothing here needs acting on daily. */
export function DatabaseSection() {
  const status = useDatabaseStatus()
  return (
    <Panel title="Database">
      {status.isPending && <p className="muted">Loading…</p>}
      {status.isError && <Alert>{messageOf(status.error)}</Alert>}
      {status.data && (
        <dl className="facts">
          <dt>Engine</dt>
          <dd>
            {status.data.engine === 'postgres'
              ? 'Team database (PostgreSQL)'
              : 'This computer (encrypted file)'}
          </dd>
          <dt>Schema version</dt>
          <dd>{status.data.schemaVersion}</dd>
          <dt>Key store</dt>
          <dd>{KEY_STORES[status.data.keyStore]}</dd>
          <dt>Protection</dt>
          <dd>{status.data.cipher}</dd>
          <dt>Users</dt>
          <dd>{status.data.userCount}</dd>
          <dt>Audit events</dt>
          <dd>{status.data.auditEventCount}</dd>
          <dt>Audit head hash</dt>
          <dd className="mono wrap">{status.data.auditHeadHash}</dd>
          <dt>{status.data.engine === 'postgres' ? 'Server' : 'File'}</dt>
          <dd className="mono wrap">{status.data.path}</dd>
        </dl>
      )}
    </Panel>
  )
}
