import { useId, useState } from 'react'
import type { ImportBeginDto, ImportErrorDto, ImportProgressDto, ImportRunDto } from '../../../../shared/dto'
import { api, messageOf, unwrap } from '../../api'
import { Alert, Notice } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { Dialog } from '../../ui/Dialog'
import { downloadText } from '../two-factor/backupCodesOut'
import { useRefreshUsers, useUnfinishedImports } from './queries'
import { formatDateTime } from '../../format/time'

export const INVITATIONS_FILE = 'tessera-invitations.csv'

type Step =
  | { at: 'choose' }
  | { at: 'invalid'; check: ImportBeginDto }
  | { at: 'running'; imported: number; total: number }
  | { at: 'done'; importId: string; progress: ImportProgressDto }

/** FileReader rather than File.text(): the same in Chromium and in jsdom. */
function readText(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => resolve(String(reader.result))
    reader.onerror = () => reject(new Error('The file could not be read.'))
    reader.readAsText(file)
  })
}

const lineText = (e: ImportErrorDto): string =>
  `Line ${e.line}${e.column ? `, ${e.column}` : ''}: ${e.message}`

/**
 * Offers an import's codes not saved yet as a file, then lets main erase them: main holds each code
 * from its batch's commit until this download, so closing or killing the console loses none.
 */
async function downloadCodes(importId: string): Promise<number> {
  const codes = await unwrap(api().users.importCodes({ importId }))
  downloadText(INVITATIONS_FILE, codes.csv, 'text/csv;charset=utf-8')
  await unwrap(api().users.importCodesSaved({ importId, through: codes.through }))
  return codes.count
}

const dateText = (at: number): string => formatDateTime(at)

/** What an interrupted or unsaved run is, in words: an import, or a bulk re-send of invitations. */
function runText(run: ImportRunDto): string {
  const when = dateText(run.startedAt)
  if (run.kind === 'resend') {
    const what = run.finished
      ? `You re-sent invitations on ${when}`
      : `Your re-send of invitations on ${when} stopped after ${run.imported} of ${run.total} users`
    return `${what}: ${run.pendingCodes} new invitation codes were never saved, and the old codes no longer work. Download them now.`
  }
  const what = run.finished
    ? `Your import of ${when} finished, but not all its invitation codes were saved.`
    : `Your import of ${when} stopped after ${run.imported} of ${run.total} users.`
  return run.pendingCodes > 0
    ? `${what} ${run.pendingCodes} invitation codes were never saved: download them now.`
    : what
}

/**
 * An import or bulk re-send that stopped (the console was closed or killed) or whose codes were never
 * saved. A re-send's people have only these codes: their earlier invitations stopped working.
 */
function UnfinishedImport({ run, onChange }: { run: ImportRunDto; onChange: () => void }) {
  const [alert, setAlert] = useState<string | null>(null)
  const act = async (work: () => Promise<unknown>): Promise<void> => {
    setAlert(null)
    try {
      await work()
    } catch (e) {
      setAlert(messageOf(e))
    } finally {
      onChange()
    }
  }
  return (
    <section
      aria-label={run.kind === 'resend' ? 'Unsaved re-sent invitations' : 'Unfinished import'}
      className="alert"
    >
      <Alert>{alert}</Alert>
      <p>{runText(run)}</p>
      {!run.finished && run.kind === 'import' && (
        <p>To import the rest, choose the same file below: the users already imported are skipped.</p>
      )}
      <div className="form-actions">
        {run.pendingCodes > 0 && (
          <Button onClick={() => void act(() => downloadCodes(run.importId))}>
            Download {run.pendingCodes} invitation codes
          </Button>
        )}
        <Button
          variant="secondary"
          onClick={() => void act(() => unwrap(api().users.importForget({ importId: run.importId })))}
        >
          {run.pendingCodes > 0 ? 'Forget it (their people need a new invitation)' : 'Forget it'}
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
        <UnfinishedImport key={run.importId} run={run} onChange={() => void unfinished.refetch()} />
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
  const fileId = useId()
  const refreshUsers = useRefreshUsers()
  const [step, setStep] = useState<Step>({ at: 'choose' })
  const [alert, setAlert] = useState<string | null>(null)
  const [downloaded, setDownloaded] = useState(false)
  const unfinished = useUnfinishedImports()

  const start = async (file: File): Promise<void> => {
    setAlert(null)
    try {
      const check = await unwrap(api().users.importBegin({ csv: await readText(file) }))
      if (check.importId === null || check.errors.length > 0) {
        setStep({ at: 'invalid', check })
        return
      }
      setStep({ at: 'running', imported: 0, total: check.total })
      let progress: ImportProgressDto
      do {
        progress = await unwrap(api().users.importNext({ importId: check.importId }))
        setStep({ at: 'running', imported: progress.imported, total: progress.total })
      } while (!progress.done)
      setStep({ at: 'done', importId: check.importId, progress })
    } catch (e) {
      setAlert(messageOf(e))
      setStep({ at: 'choose' })
    } finally {
      refreshUsers()
      void unfinished.refetch()
    }
  }

  const running = step.at === 'running'
  return (
    // While batches run the dialog stays: closing it would lose the invitation codes of the rows done.
    <Dialog title="Import users from CSV" onClose={running ? () => {} : onClose}>
      <div className="form">
        <Alert>{alert}</Alert>
        {(step.at === 'choose' || step.at === 'invalid') &&
          unfinished.data?.map((run) => (
            <UnfinishedImport key={run.importId} run={run} onChange={() => void unfinished.refetch()} />
          ))}
        {(step.at === 'choose' || step.at === 'invalid') && (
          <>
            <p>
              One user per line with the columns <span className="mono">email,name,role,require_2fa</span>.
              Every line is checked before anything is imported.
            </p>
            <div className="field">
              <label htmlFor={fileId}>CSV file</label>
              <input
                id={fileId}
                type="file"
                accept=".csv,text/csv"
                onChange={(e) => {
                  const file = e.target.files?.[0]
                  e.target.value = ''
                  if (file) void start(file)
                }}
              />
            </div>
          </>
        )}
        {step.at === 'invalid' && (
          <div role="alert" className="alert alert-error">
            <p>Nothing was imported. Fix these lines and choose the file again:</p>
            <ul aria-label="Problems in the file" className="import-errors">
              {step.check.errors.map((e) => (
                <li key={`${e.line}-${e.column ?? ''}-${e.message}`}>{lineText(e)}</li>
              ))}
            </ul>
            {step.check.moreErrors > 0 && <p>…and {step.check.moreErrors} more.</p>}
          </div>
        )}
        {running && (
          <div className="field">
            <span id={`${fileId}-progress`}>
              Importing {step.imported} of {step.total}…
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
              Imported {step.progress.imported} users.
              {step.progress.alreadyImported > 0 &&
                ` ${step.progress.alreadyImported} were imported before and were skipped.`}
            </Notice>
            {step.progress.skipped.length > 0 && (
              <ul aria-label="Skipped lines" className="import-errors">
                {step.progress.skipped.map((e) => (
                  <li key={e.line}>{lineText(e)}</li>
                ))}
              </ul>
            )}
            <p>
              Their invitation codes are in this file. Once it is downloaded Tessera erases its copy: keep the
              file safe and give each person their own code. Closed without downloading, the codes are offered
              again the next time you import.
            </p>
          </>
        )}
        <div className="form-actions">
          {step.at === 'done' && !downloaded && (
            <Button
              onClick={() => {
                setAlert(null)
                downloadCodes(step.importId).then(
                  () => setDownloaded(true),
                  (e: unknown) => setAlert(messageOf(e)),
                )
              }}
            >
              Download invitations CSV
            </Button>
          )}
          <Button variant="secondary" onClick={onClose} disabled={running}>
            {step.at === 'done' && downloaded ? 'Done' : 'Close'}
          </Button>
        </div>
      </div>
    </Dialog>
  )
}
