import { useQuery } from '@tanstack/react-query'
import type { SessionUser } from '../../../../shared/dto'
import { api, messageOf, unwrap } from '../../api'
import { Alert } from '../../ui/Alert'
import { Panel } from '../../ui/Layout'
import { isManager } from '../../session/roles'

export const databaseKeys = { status: ['database', 'status'] as const }

const KEY_STORES = {
  keychain: 'OS keychain',
  passphrase: 'Passphrase',
  team: 'Team key (team passphrase)',
} as const

export function DatabaseStatusPanel() {
  const status = useQuery({ queryKey: databaseKeys.status, queryFn: () => unwrap(api().database.status()) })
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

export function OverviewPage({ user }: { user: SessionUser }) {
  return (
    <div className="page">
      <h1>Welcome, {user.name}</h1>
      <p className="muted">
        Tessera manages two-factor authentication for your account’s people. The console locks itself when you
        step away.
      </p>
      {isManager(user) && <DatabaseStatusPanel />}
    </div>
  )
}
