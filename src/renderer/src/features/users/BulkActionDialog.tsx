import { useEffect, useState } from 'react'
import { Trans, useTranslation } from 'react-i18next'
import type { BulkProgressDto, BulkReasonCountDto } from '../../../../shared/dto'
import { messageOf } from '../../api'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { Dialog } from '../../ui/Dialog'
import { currentLocale } from '../../format/time'
import { downloadText } from '../two-factor/backupCodesOut'
import styles from './BulkActionDialog.module.css'
import type { UsersT } from './format'
import { useBulkPreview, useBulkRun, useHeldCodesSaved, type BulkAction, type BulkTarget } from './queries'

/** "1 user", "2,571 users". */
export const usersCount = (t: UsersT, n: number): string => t('bulk.users', { count: n })

/** The actions whose button is drawn as dangerous: what they do is not undone by running another. */
export const dangerousBulkActions: ReadonlySet<BulkAction> = new Set<BulkAction>(['reset-2fa', 'disable'])

function Reasons({ items, label }: { items: BulkReasonCountDto[]; label: string }) {
  if (items.length === 0) return null
  return (
    <ul className={styles.reasons} aria-label={label}>
      {items.map((r) => (
        <li key={r.reason}>
          <span>{r.reason}</span>
          <span className={styles.count}>{r.count.toLocaleString(currentLocale())}</span>
        </li>
      ))}
    </ul>
  )
}

const skippedCount = (items: BulkReasonCountDto[]): number => items.reduce((n, r) => n + r.count, 0)

/**
 * One bulk action, from question to result: it states how many users it is about and which of them the
 * rules leave alone, then shows progress while main works through them in batches, then what was done,
 * skipped and why. Export saves its CSV; re-sent codes that could not go by email are saved once.
 */
export function BulkActionDialog({
  target,
  action,
  onClose,
}: {
  target: BulkTarget
  action: BulkAction
  /** `ran`: the action ran (the selection is spent). */
  onClose: (ran: boolean) => void
}) {
  const { t } = useTranslation('users')
  const danger = dangerousBulkActions.has(action)
  const button = t(`bulk.action.${action}.button`)
  const preview = useBulkPreview(target, action)
  const [progress, setProgress] = useState<BulkProgressDto | null>(null)
  const run = useBulkRun(setProgress)
  const result = run.data
  // Main handed the codes over once; its database copy goes only when told the file is saved.
  const codes = result?.invitationsCsv ?? null
  const saved = useHeldCodesSaved()
  const confirmSaved = saved.mutate

  // What the action produced is saved as soon as it is there; the dialog offers it again until closed.
  useEffect(() => {
    if (!result) return
    if (result.csv !== null) downloadText('tessera-users.csv', result.csv, 'text/csv;charset=utf-8')
    if (result.invitationsCsv !== null) {
      downloadText('tessera-invitations.csv', result.invitationsCsv, 'text/csv;charset=utf-8')
      // Downloaded, then confirmed: until this, a restart offers the codes again (Users › Import CSV).
      if (result.invitationsThrough !== null)
        confirmSaved({ importId: result.jobId, through: result.invitationsThrough })
    }
  }, [result, confirmSaved])

  const running = run.isPending
  const close = () => {
    if (!running) onClose(result !== undefined)
  }

  const who = usersCount(t, preview.data?.total ?? 0)
  const title = result
    ? t('bulk.done')
    : running
      ? t('bulk.working', { action: button })
      : preview.data
        ? t(`bulk.action.${action}.title`, { who })
        : button
  const strong = { strong: <strong /> }

  return (
    <Dialog title={title} onClose={close}>
      <div className="form">
        {!result && !running && (
          <>
            {preview.isPending && <p className="muted">{t('bulk.counting')}</p>}
            {preview.isError && <Alert>{messageOf(preview.error)}</Alert>}
            {preview.data && (
              <>
                <p>{t(`bulk.action.${action}.effect`)}</p>
                {preview.data.skipped.length === 0 ? (
                  <p>
                    <Trans t={t} i18nKey="bulk.appliesToAll" values={{ who }} components={strong} />
                  </p>
                ) : (
                  <>
                    <p>
                      <Trans
                        t={t}
                        i18nKey="bulk.someSkipped"
                        values={{
                          willAct: usersCount(t, preview.data.willAct),
                          skipped: usersCount(t, skippedCount(preview.data.skipped)),
                        }}
                        components={strong}
                      />
                    </p>
                    <Reasons items={preview.data.skipped} label={t('bulk.willSkip')} />
                  </>
                )}
              </>
            )}
            {run.isError && <Alert>{messageOf(run.error)}</Alert>}
            <div className="form-actions">
              <Button
                className={danger ? 'btn-danger' : undefined}
                disabled={!preview.data || preview.data.willAct === 0}
                onClick={() => run.mutate({ target, action })}
              >
                {button}
              </Button>
              <Button variant="secondary" data-autofocus onClick={close}>
                {t('cancel')}
              </Button>
            </div>
          </>
        )}
        {running && (
          <div className={styles.progress}>
            <progress
              max={progress?.total ?? 1}
              value={progress?.processed ?? 0}
              aria-label={t('bulk.progress')}
            />
            <p role="status">
              {t('bulk.progressText', {
                processed: progress?.processed ?? 0,
                who: usersCount(t, progress?.total ?? 0),
              })}
            </p>
          </div>
        )}
        {result && (
          <>
            <p role="status">
              <Trans
                t={t}
                i18nKey={action === 'export' ? 'bulk.exported' : 'bulk.changed'}
                values={{ who: usersCount(t, result.done) }}
                components={strong}
              />
              {skippedCount(result.skipped) > 0 && (
                <Trans
                  t={t}
                  i18nKey="bulk.skippedCount"
                  count={skippedCount(result.skipped)}
                  components={strong}
                />
              )}
              {skippedCount(result.failed) > 0 && (
                <Trans
                  t={t}
                  i18nKey="bulk.failedCount"
                  count={skippedCount(result.failed)}
                  components={strong}
                />
              )}
              .
            </p>
            <Reasons items={result.skipped} label={t('bulk.skipped')} />
            {result.failed.length > 0 && <Alert>{t('bulk.someFailed')}</Alert>}
            <Reasons items={result.failed} label={t('bulk.failed')} />
            {codes && <Alert>{t('bulk.codesSaved')}</Alert>}
            {saved.isError && <Alert>{`${messageOf(saved.error)} ${t('bulk.codesKept')}`}</Alert>}
            <div className="form-actions">
              {result.csv !== null && (
                <Button
                  variant="secondary"
                  onClick={() => downloadText('tessera-users.csv', result.csv!, 'text/csv;charset=utf-8')}
                >
                  {t('bulk.saveCsvAgain')}
                </Button>
              )}
              {codes && (
                <Button
                  variant="secondary"
                  onClick={() => downloadText('tessera-invitations.csv', codes, 'text/csv;charset=utf-8')}
                >
                  {t('bulk.saveCodesAgain')}
                </Button>
              )}
              <Button data-autofocus onClick={close}>
                {t('close')}
              </Button>
            </div>
          </>
        )}
      </div>
    </Dialog>
  )
}
