import { useId, useState } from 'react'
import { createPortal } from 'react-dom'
import { Alert, Notice } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import {
  BACKUP_CODES_FILE,
  backupCodesText,
  copyThenClear,
  downloadText,
  realSchedule,
  type Schedule,
} from './backupCodesOut'

/**
 * Backup codes shown once (after enrollment or a new set): copy, download, print, and a required
 * "I have saved these codes" before Done. The codes live only in the parent's state.
 */
export function BackupCodes({
  codes,
  account,
  onDone,
  schedule = realSchedule,
}: {
  codes: readonly string[]
  account: string
  onDone: () => void
  schedule?: Schedule
}) {
  const checkId = useId()
  const [saved, setSaved] = useState(false)
  const [notice, setNotice] = useState<string | null>(null)
  const [alert, setAlert] = useState<string | null>(null)
  const text = (): string => backupCodesText(codes, account, new Date())

  const copy = async (): Promise<void> => {
    setAlert(null)
    try {
      await copyThenClear(codes.join('\n'), schedule)
      setNotice('Copied. The clipboard will be cleared in 30 seconds.')
    } catch {
      setNotice(null)
      setAlert('Tessera could not use the clipboard. Download or print the codes instead.')
    }
  }

  return (
    <div className="backup-codes-step">
      <p>
        Save these backup codes somewhere safe, away from your phone. Each code works once, in place of the
        app code. <strong>They are shown only now.</strong>
      </p>
      <ol aria-label="Backup codes" className="backup-codes">
        {codes.map((c) => (
          <li key={c} className="mono">
            {c}
          </li>
        ))}
      </ol>
      <div className="form-actions">
        <Button variant="secondary" onClick={() => void copy()}>
          Copy
        </Button>
        <Button variant="secondary" onClick={() => downloadText(BACKUP_CODES_FILE, text())}>
          Download as .txt
        </Button>
        <Button variant="secondary" onClick={() => window.print()}>
          Print
        </Button>
      </div>
      <Alert>{alert}</Alert>
      <Notice>{notice}</Notice>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault()
          if (saved) onDone()
        }}
      >
        <div className="check">
          <input
            id={checkId}
            type="checkbox"
            required
            checked={saved}
            onChange={(e) => setSaved(e.target.checked)}
          />
          <label htmlFor={checkId}>I have saved these codes</label>
        </div>
        <div className="form-actions">
          <Button type="submit" disabled={!saved}>
            Done
          </Button>
        </div>
      </form>
      {createPortal(
        <section className="print-sheet" aria-hidden="true">
          <pre>{text()}</pre>
        </section>,
        document.body,
      )}
    </div>
  )
}
