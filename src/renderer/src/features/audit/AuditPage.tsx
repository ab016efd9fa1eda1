import type { AuditEventDto, AuditVerification } from '../../../../shared/dto'
import { messageOf } from '../../api'
import { Alert, Notice } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { Panel } from '../../ui/Layout'
import { downloadText } from '../two-factor/backupCodesOut'
import { AUDIT_PAGE_SIZE, useAnchorChain, useAuditEvents, useVerifyChain } from './queries'

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
        Chain intact: {result.count} events verified.
        {result.checkedFrom !== undefined &&
          ` Recomputed from event #${result.checkedFrom} on; the events before it at an earlier check.`}{' '}
        Head hash <span className="mono">{result.headHash}</span>
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

/**
 * Anchoring (owners): the head written down outside the database, as a file the owner keeps or a message
 * to every owner, so a chain rewritten by someone holding the key no longer matches it.
 */
function AnchorPanel() {
  const anchor = useAnchorChain()
  const save = () =>
    anchor.mutate('file', {
      onSuccess: (r) =>
        downloadText(`tessera-audit-anchor-${r.anchor.seq}.json`, `${r.text}\n`, 'application/json'),
    })
  return (
    <Panel
      title="Anchor"
      actions={
        <>
          <Button variant="secondary" onClick={save} busy={anchor.isPending && anchor.variables === 'file'}>
            Save anchor…
          </Button>
          <Button
            variant="secondary"
            onClick={() => anchor.mutate('owners')}
            busy={anchor.isPending && anchor.variables === 'owners'}
          >
            Send anchor to owners
          </Button>
        </>
      }
    >
      {anchor.data && (
        <Notice>
          Anchored at event #{anchor.data.anchor.seq}, hash{' '}
          <span className="mono">{anchor.data.anchor.hash}</span>
          {anchor.variables === 'owners'
            ? `. Sent to ${anchor.data.sentTo} owner${anchor.data.sentTo === 1 ? '' : 's'}.`
            : '. Keep the file where nobody with the database can change it.'}
        </Notice>
      )}
      {anchor.isError && <Alert>{messageOf(anchor.error)}</Alert>}
      {!anchor.data && !anchor.isError && (
        <p className="muted">
          Write the chain&apos;s head down outside the database. Later,{' '}
          <span className="mono">tessera audit verify --anchor FILE</span> proves the log still extends it
          unchanged, or names where it was rewritten.
        </p>
      )}
    </Panel>
  )
}

export function AuditPage({
  pageSize = AUDIT_PAGE_SIZE,
  owner = false,
}: {
  pageSize?: number
  owner?: boolean
}) {
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
          <>
            <Button
              variant="secondary"
              onClick={() => verify.mutate(false)}
              busy={verify.isPending && verify.variables === false}
            >
              Verify chain
            </Button>
            <Button
              variant="secondary"
              onClick={() => verify.mutate(true)}
              busy={verify.isPending && verify.variables === true}
            >
              Full check
            </Button>
          </>
        }
      >
        {verify.data && <VerificationResult result={verify.data} />}
        {verify.isError && <Alert>{messageOf(verify.error)}</Alert>}
        {!verify.data && !verify.isError && (
          <p className="muted">
            Recompute the hashes added since the last check (a full check recomputes every one) and compare
            them with the stored chain.
          </p>
        )}
      </Panel>
      {owner && <AnchorPanel />}
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
