import { useState } from 'react'
import type { AuditVerification } from '../../../../shared/dto'
import type { AuditFilter } from '../../../../shared/schemas'
import { messageOf } from '../../api'
import { Alert, Notice } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { EventList } from '../../ui/EventList'
import { Panel } from '../../ui/Layout'
import { downloadText } from '../two-factor/backupCodesOut'
import { AuditFilters, emptyFilterForm, filterOf, type AuditFilterForm } from './AuditFilters'
import { AUDIT_PAGE_SIZE, useAnchorChain, useAuditEvents, useExportAudit, useVerifyChain } from './queries'

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

const EXPORTS = {
  csv: { label: 'Export CSV', mime: 'text/csv;charset=utf-8' },
  jsonl: { label: 'Export JSON lines', mime: 'application/jsonl' },
} as const

/** Exports exactly what the filter selects (every page of it, not only those loaded), as a download. */
function ExportButtons({ filter }: { filter: AuditFilter }) {
  const exporting = useExportAudit()
  const run = (format: 'csv' | 'jsonl') =>
    exporting.mutate(
      { format, filter },
      {
        onSuccess: (r) =>
          downloadText(
            `tessera-audit${Object.keys(filter).length > 0 ? '-filtered' : ''}.${format}`,
            r.text,
            EXPORTS[format].mime,
          ),
      },
    )
  return (
    <>
      {(['csv', 'jsonl'] as const).map((format) => (
        <Button
          key={format}
          variant="secondary"
          onClick={() => run(format)}
          busy={exporting.isPending && exporting.variables.format === format}
        >
          {EXPORTS[format].label}
        </Button>
      ))}
      <span className="muted small" aria-live="polite">
        {exporting.data &&
          `Exported ${exporting.data.events} event${exporting.data.events === 1 ? '' : 's'}.`}
      </span>
      {exporting.isError && <Alert>{messageOf(exporting.error)}</Alert>}
    </>
  )
}

export function AuditPage({
  pageSize = AUDIT_PAGE_SIZE,
  owner = false,
}: {
  pageSize?: number
  owner?: boolean
}) {
  const [form, setForm] = useState<AuditFilterForm>(emptyFilterForm)
  // The last valid filter stays applied while the form holds a range that ends before it starts.
  const [applied, setApplied] = useState<AuditFilter>({})
  const parsed = filterOf(form)
  const onFilterChange = (next: AuditFilterForm) => {
    setForm(next)
    const f = filterOf(next)
    if ('filter' in f) setApplied(f.filter)
  }
  const events = useAuditEvents(pageSize, applied)
  const verify = useVerifyChain()
  const rows = events.data?.pages.flatMap((p) => p.events) ?? []
  const filtered = Object.keys(applied).length > 0

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
      <Panel title="Events" actions={<ExportButtons filter={applied} />}>
        <AuditFilters
          form={form}
          onChange={onFilterChange}
          error={'error' in parsed ? parsed.error : undefined}
        />
        {filtered && (
          <div className="form-actions">
            <Button variant="ghost" onClick={() => onFilterChange(emptyFilterForm)}>
              Clear filters
            </Button>
          </div>
        )}
        {events.isPending && <p className="muted">Loading…</p>}
        {events.isError && <Alert>{messageOf(events.error)}</Alert>}
        {events.data &&
          (rows.length === 0 && filtered ? (
            <p className="muted">No events match these filters.</p>
          ) : (
            <EventList events={rows} label="Audit events" />
          ))}
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
