import type { AuditEventDto, AuditVerification } from '../../../../shared/dto'
import { messageOf } from '../../api'
import { Alert, Notice } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { Panel } from '../../ui/Layout'
import { AUDIT_PAGE_SIZE, useAuditEvents, useVerifyChain } from './queries'

const time = (at: number): string => new Date(at).toLocaleString()

function details(data: Record<string, unknown>): string {
  return Object.entries(data)
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(', ')
}

function VerificationResult({ result }: { result: AuditVerification }) {
  if (result.ok) {
    return (
      <Notice>
        Chain intact: {result.count} events verified. Head hash{' '}
        <span className="mono">{result.headHash}</span>
      </Notice>
    )
  }
  return (
    <Alert>
      Chain broken at event #{result.firstBadSeq}: {result.reason}
    </Alert>
  )
}

function EventRow({ e }: { e: AuditEventDto }) {
  return (
    <tr>
      <td className="num">{e.seq}</td>
      <td>{time(e.at)}</td>
      <td className="mono">{e.type}</td>
      <td className="num">{e.actorId ?? '—'}</td>
      <td className="details">{details(e.data)}</td>
    </tr>
  )
}

export function AuditPage({ pageSize = AUDIT_PAGE_SIZE }: { pageSize?: number }) {
  const events = useAuditEvents(pageSize)
  const verify = useVerifyChain()
  const rows = events.data?.pages.flatMap((p) => p.events) ?? []

  return (
    <div className="page">
      <h1>Audit log</h1>
      <p className="muted">
        Every security event, newest first. Each event is hash-chained to the one before it.
      </p>
      <Panel
        title="Chain verification"
        actions={
          <Button variant="secondary" onClick={() => verify.mutate()} busy={verify.isPending}>
            Verify chain
          </Button>
        }
      >
        {verify.data && <VerificationResult result={verify.data} />}
        {verify.isError && <Alert>{messageOf(verify.error)}</Alert>}
        {!verify.data && !verify.isError && (
          <p className="muted">Recompute every hash and compare it with the stored chain.</p>
        )}
      </Panel>
      <Panel title="Events">
        {events.isPending && <p className="muted">Loading…</p>}
        {events.isError && <Alert>{messageOf(events.error)}</Alert>}
        {events.data && (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Time</th>
                <th scope="col">Event</th>
                <th scope="col">Actor</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((e) => (
                <EventRow key={e.seq} e={e} />
              ))}
            </tbody>
          </table>
        )}
        {events.hasNextPage && (
          <div className="panel-footer">
            <Button
              variant="secondary"
              onClick={() => void events.fetchNextPage()}
              busy={events.isFetchingNextPage}
            >
              Load older
            </Button>
          </div>
        )}
      </Panel>
    </div>
  )
}
