import { useState } from 'react'
import { Trans, useTranslation } from 'react-i18next'
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
  const { t } = useTranslation('audit')
  if (result.ok) {
    return (
      <Notice>
        {t('verification.intact', { count: result.count })}
        {result.checkedFrom !== undefined &&
          ` ${t('verification.checkedFrom', { seq: result.checkedFrom })}`}{' '}
        {t('verification.headHash')} <span className="mono">{result.headHash}</span>
      </Notice>
    )
  }
  return <Alert>{t('verification.broken', { seq: result.firstBadSeq, reason: result.reason })}</Alert>
}

/**
 * Anchoring (owners): the head written down outside the database, as a file the owner keeps or a message
 * to every owner, so a chain rewritten by someone holding the key no longer matches it.
 */
function AnchorPanel() {
  const { t } = useTranslation('audit')
  const anchor = useAnchorChain()
  const save = () =>
    anchor.mutate('file', {
      onSuccess: (r) =>
        downloadText(`tessera-audit-anchor-${r.anchor.seq}.json`, `${r.text}\n`, 'application/json'),
    })
  return (
    <Panel
      title={t('anchor.title')}
      actions={
        <>
          <Button variant="secondary" onClick={save} busy={anchor.isPending && anchor.variables === 'file'}>
            {t('anchor.save')}
          </Button>
          <Button
            variant="secondary"
            onClick={() => anchor.mutate('owners')}
            busy={anchor.isPending && anchor.variables === 'owners'}
          >
            {t('anchor.send')}
          </Button>
        </>
      }
    >
      {anchor.data && (
        <Notice>
          {anchor.variables === 'owners' ? (
            <Trans
              t={t}
              i18nKey="anchor.sent"
              count={anchor.data.sentTo}
              values={{ seq: anchor.data.anchor.seq, hash: anchor.data.anchor.hash }}
              components={{ hash: <span className="mono" /> }}
            />
          ) : (
            <Trans
              t={t}
              i18nKey="anchor.saved"
              values={{ seq: anchor.data.anchor.seq, hash: anchor.data.anchor.hash }}
              components={{ hash: <span className="mono" /> }}
            />
          )}
        </Notice>
      )}
      {anchor.isError && <Alert>{messageOf(anchor.error)}</Alert>}
      {!anchor.data && !anchor.isError && (
        <p className="muted">
          <Trans t={t} i18nKey="anchor.hint" components={{ cmd: <span className="mono" /> }} />
        </p>
      )}
    </Panel>
  )
}

const EXPORTS = {
  csv: { label: 'export.csv', mime: 'text/csv;charset=utf-8' },
  jsonl: { label: 'export.jsonl', mime: 'application/jsonl' },
} as const

/** Exports exactly what the filter selects (every page of it, not only those loaded), as a download. */
function ExportButtons({ filter }: { filter: AuditFilter }) {
  const { t } = useTranslation('audit')
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
          {t(EXPORTS[format].label)}
        </Button>
      ))}
      <span className="muted small" aria-live="polite">
        {exporting.data && t('export.done', { count: exporting.data.events })}
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
  const { t } = useTranslation('audit')
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
      <h1>{t('title')}</h1>
      <p className="muted">{t('intro')}</p>
      <Panel
        title={t('verification.title')}
        actions={
          <>
            <Button
              variant="secondary"
              onClick={() => verify.mutate(false)}
              busy={verify.isPending && verify.variables === false}
            >
              {t('verification.verify')}
            </Button>
            <Button
              variant="secondary"
              onClick={() => verify.mutate(true)}
              busy={verify.isPending && verify.variables === true}
            >
              {t('verification.full')}
            </Button>
          </>
        }
      >
        {verify.data && <VerificationResult result={verify.data} />}
        {verify.isError && <Alert>{messageOf(verify.error)}</Alert>}
        {!verify.data && !verify.isError && <p className="muted">{t('verification.hint')}</p>}
      </Panel>
      {owner && <AnchorPanel />}
      <Panel title={t('events.title')} actions={<ExportButtons filter={applied} />}>
        <AuditFilters
          form={form}
          onChange={onFilterChange}
          error={'error' in parsed ? parsed.error : undefined}
        />
        {filtered && (
          <div className="form-actions">
            <Button variant="ghost" onClick={() => onFilterChange(emptyFilterForm)}>
              {t('events.clear')}
            </Button>
          </div>
        )}
        {events.isPending && <p className="muted">{t('events.loading')}</p>}
        {events.isError && <Alert>{messageOf(events.error)}</Alert>}
        {events.data &&
          (rows.length === 0 && filtered ? (
            <p className="muted">{t('events.noMatch')}</p>
          ) : (
            <EventList events={rows} label={t('events.label')} />
          ))}
        {events.hasNextPage && (
          <div className="panel-footer">
            <Button
              variant="secondary"
              onClick={() => void events.fetchNextPage()}
              busy={events.isFetchingNextPage}
            >
              {t('events.older')}
            </Button>
          </div>
        )}
      </Panel>
    </div>
  )
}
