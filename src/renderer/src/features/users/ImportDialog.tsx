import { useId, useState } from 'react'
import type { ImportBeginDto, ImportErrorDto, ImportProgressDto } from '../../../../shared/dto'
import { api, messageOf, unwrap } from '../../api'
import { Alert, Notice } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { Dialog } from '../../ui/Dialog'
import { downloadText } from '../two-factor/backupCodesOut'
import { useRefreshUsers } from './queries'

export const INVITATIONS_FILE = 'tessera-invitations.csv'

type Step =
  | { at: 'choose' }
  | { at: 'invalid'; check: ImportBeginDto }
  | { at: 'running'; imported: number; total: number }
  | { at: 'done'; progress: ImportProgressDto }

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
 * email,name,role,require_2fa → main checks every line first (nothing is imported if any is wrong), then
 * imports in batches with a progress bar; the invitation codes come back once, as a CSV to download.
 */
export function ImportDialog({ onClose }: { onClose: () => void }) {
  const fileId = useId()
  const refreshUsers = useRefreshUsers()
  const [step, setStep] = useState<Step>({ at: 'choose' })
  const [alert, setAlert] = useState<string | null>(null)
  const [downloaded, setDownloaded] = useState(false)

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
      setStep({ at: 'done', progress })
    } catch (e) {
      setAlert(messageOf(e))
      setStep({ at: 'choose' })
    } finally {
      refreshUsers()
    }
  }

  const running = step.at === 'running'
  return (
    // While batches run the dialog stays: closing it would lose the invitation codes of the rows done.
    <Dialog title="Import users from CSV" onClose={running ? () => {} : onClose}>
      <div className="form">
        <Alert>{alert}</Alert>
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
            <Notice>Imported {step.progress.imported} users.</Notice>
            {step.progress.skipped.length > 0 && (
              <ul aria-label="Skipped lines" className="import-errors">
                {step.progress.skipped.map((e) => (
                  <li key={e.line}>{lineText(e)}</li>
                ))}
              </ul>
            )}
            <p>
              Their invitation codes are in this file, <strong>offered only now</strong>. Give each person
              their own code.
            </p>
          </>
        )}
        <div className="form-actions">
          {step.at === 'done' && step.progress.invitationsCsv !== undefined && (
            <Button
              onClick={() => {
                downloadText(INVITATIONS_FILE, step.progress.invitationsCsv!, 'text/csv;charset=utf-8')
                setDownloaded(true)
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
