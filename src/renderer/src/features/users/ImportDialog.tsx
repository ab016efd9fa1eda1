import { useId, useState } from 'react'
import { Trans, useTranslation } from 'react-i18next'
import type { ImportBeginDto, ImportErrorDto, ImportProgressDto, ImportRunDto } from '../../../../shared/dto'
import { messageOf } from '../../api'
import { Alert, Notice } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { Dialog } from '../../ui/Dialog'
import { formatDateTime } from '../../format/time'
import type { UsersT } from './format'
import { useForgetImport, useImportUsers, useSaveImportCodes, useUnfinishedImports } from './queries'
import styles from './ImportDialog.module.css'

type Step =
  | { at: 'choose' }
  | { at: 'invalid'; check: ImportBeginDto }
  | { at: 'running'; imported: number; total: number }
  | { at: 'done'; importId: string; progress: ImportProgressDto }

const lineText = (t: UsersT, e: ImportErrorDto): string =>
  e.column
    ? t('import.lineColumn', { line: e.line, column: e.column, message: e.message })
    : t('import.line', { line: e.line, message: e.message })

/** What an interrupted or unsaved run is, in words: an import, or a bulk re-send of invitations. */
function runText(t: UsersT, run: ImportRunDto): string {
  const when = formatDateTime(run.startedAt)
  const counts = { when, imported: run.imported, total: run.total }
  if (run.kind === 'resend') {
    const what = run.finished ? t('import.resendDone', counts) : t('import.resendStopped', counts)
    return t('import.resendUnsaved', { what, count: run.pendingCodes })
  }
  const what = run.finished ? t('import.importDone', counts) : t('import.importStopped', counts)
  return run.pendingCodes > 0 ? t('import.importUnsaved', { what, count: run.pendingCodes }) : what
}

/**
 * An import or bulk re-send that stopped (the console was closed or killed) or whose codes were never
 * saved. A re-send's people have only these codes: their earlier invitations stopped working.
 */
function UnfinishedImport({ run }: { run: ImportRunDto }) {
  const { t } = useTranslation('users')
  const save = useSaveImportCodes()
  const forget = useForgetImport()
  const failed = save.error ?? forget.error
  return (
    <section
      aria-label={run.kind === 'resend' ? t('import.unsavedResent') : t('import.unfinished')}
      className="alert"
    >
      <Alert>{failed ? messageOf(failed) : null}</Alert>
      <p>{runText(t, run)}</p>
      {!run.finished && run.kind === 'import' && <p>{t('import.theRest')}</p>}
      <div className="form-actions">
        {run.pendingCodes > 0 && (
          <Button onClick={() => save.mutate(run.importId)}>
            {t('import.downloadCodes', { count: run.pendingCodes })}
          </Button>
        )}
        <Button variant="secondary" onClick={() => forget.mutate(run.importId)}>
          {run.pendingCodes > 0 ? t('import.forgetLosing') : t('import.forget')}
        </Button>
      </div>
    </section>
  )
}

/**
 * On the Users page: the codes of a bulk re-send that were never saved (the console was closed or killed
 * before the hand-over), offered until they are downloaded or forgotten. Nothing when there are none.
 */
export function UnsavedResentCodes() {
  const unfinished = useUnfinishedImports()
  const runs = unfinished.data?.filter((r) => r.kind === 'resend' && r.pendingCodes > 0) ?? []
  if (runs.length === 0) return null
  return (
    <>
      {runs.map((run) => (
        <UnfinishedImport key={run.importId} run={run} />
      ))}
    </>
  )
}

/**
 * email,name,role,require_2fa → main checks every line first (nothing is imported if any is wrong), then
 * imports in batches with a progress bar; the invitation codes are offered once, as a CSV to download.
 * An import that stopped is offered again: its codes not saved yet, and the same file to finish it.
 */
export function ImportDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation('users')
  const fileId = useId()
  const [step, setStep] = useState<Step>({ at: 'choose' })
  const [downloaded, setDownloaded] = useState(false)
  const unfinished = useUnfinishedImports()
  const importUsers = useImportUsers((imported, total) => setStep({ at: 'running', imported, total }))
  const save = useSaveImportCodes()
  const failed = importUsers.error ?? save.error

  const start = (file: File): void => {
    save.reset()
    importUsers.mutate(file, {
      onSuccess: (outcome) =>
        setStep(
          outcome.ok
            ? { at: 'done', importId: outcome.importId, progress: outcome.progress }
            : { at: 'invalid', check: outcome.check },
        ),
      onError: () => setStep({ at: 'choose' }),
    })
  }

  const running = step.at === 'running'
  const choosing = step.at === 'choose' || step.at === 'invalid'
  return (
    // While batches run the dialog stays: closing it would lose the invitation codes of the rows done.
    <Dialog title={t('import.title')} onClose={running ? () => {} : onClose}>
      <div className="form">
        <Alert>{failed ? messageOf(failed) : null}</Alert>
        {choosing && unfinished.data?.map((run) => <UnfinishedImport key={run.importId} run={run} />)}
        {choosing && (
          <>
            <p>
              <Trans t={t} i18nKey="import.intro" components={{ mono: <span className="mono" /> }} />
            </p>
            <div className="field">
              <label htmlFor={fileId}>{t('import.file')}</label>
              <input
                id={fileId}
                type="file"
                accept=".csv,text/csv"
                onChange={(e) => {
                  const file = e.target.files?.[0]
                  e.target.value = ''
                  if (file) start(file)
                }}
              />
            </div>
          </>
        )}
        {step.at === 'invalid' && (
          <div role="alert" className="alert alert-error">
            <p>{t('import.nothingImported')}</p>
            <ul aria-label={t('import.problems')} className={styles.lines}>
              {step.check.errors.map((e) => (
                <li key={`${e.line}-${e.column ?? ''}-${e.message}`}>{lineText(t, e)}</li>
              ))}
            </ul>
            {step.check.moreErrors > 0 && <p>{t('import.moreProblems', { count: step.check.moreErrors })}</p>}
          </div>
        )}
        {running && (
          <div className="field">
            <span id={`${fileId}-progress`}>
              {t('import.importing', { imported: step.imported, total: step.total })}
            </span>
            <progress
              aria-labelledby={`${fileId}-progress`}
              role="progressbar"
              aria-valuemin={0}
              aria-valuemax={step.total}
              aria-valuenow={step.imported}
              max={step.total}
              value={step.imported}
            />
          </div>
        )}
        {step.at === 'done' && (
          <>
            <Notice>
              {t('import.imported', { count: step.progress.imported })}
              {step.progress.alreadyImported > 0 &&
                ` ${t('import.alreadyImported', { count: step.progress.alreadyImported })}`}
            </Notice>
            {step.progress.skipped.length > 0 && (
              <ul aria-label={t('import.skippedLines')} className={styles.lines}>
                {step.progress.skipped.map((e) => (
                  <li key={e.line}>{lineText(t, e)}</li>
                ))}
              </ul>
            )}
            <p>{t('import.codesInFile')}</p>
          </>
        )}
        <div className="form-actions">
          {step.at === 'done' && !downloaded && (
            <Button onClick={() => save.mutate(step.importId, { onSuccess: () => setDownloaded(true) })}>
              {t('import.downloadCsv')}
            </Button>
          )}
          <Button variant="secondary" onClick={onClose} disabled={running}>
            {step.at === 'done' && downloaded ? t('done') : t('close')}
          </Button>
        </div>
      </div>
    </Dialog>
  )
}
