import { useQuery } from '@tanstack/react-query'
import type { SessionUser } from '../../../../shared/dto'
import { api, messageOf, unwrap } from '../../api'
import { Alert } from '../../ui/Alert'
import { Panel } from '../../ui/Layout'
import { isManager } from '../../session/roles'

export const databaseKeys = { status: ['database', 'status'] as const }

export function DatabaseStatusPanel() {
  const status = useQuery({ queryKey: databaseKeys.status, queryFn: () => unwrap(api().database.status()) })
  return (
    <Panel title="Database">
      {status.isPending && <p className="muted">Loading…</p>}
      {status.isError && <Alert>{messageOf(status.error)}</Alert>}
      {status.data && (
        <dl className="facts">
          <dt>Schema version</dt>
          <dd>{status.data.schemaVersion}</dd>
          <dt>Key store</dt>
          <dd>{status.data.keyStore === 'keychain' ? 'OS keychain' : 'Passphrase'}</dd>
          <dt>Cipher</dt>
          <dd>{status.data.cipher}</dd>
          <dt>Users</dt>
          <dd>{status.data.userCount}</dd>
          <dt>Audit events</dt>
          <dd>{status.data.auditEventCount}</dd>
          <dt>Audit head hash</dt>
          <dd className="mono wrap">{status.data.auditHeadHash}</dd>
          <dt>File</dt>
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
