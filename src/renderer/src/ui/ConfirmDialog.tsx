import { useState, type ReactNode } from 'react'
import { messageOf } from '../api'
import { Alert } from './Alert'
import { Button } from './Button'
import { Dialog } from './Dialog'

/** "Are you sure?" with the consequence spelled out; a refusal from main stays in the dialog's alert. */
export function ConfirmDialog({
  title,
  confirmLabel,
  danger = false,
  onConfirm,
  onClose,
  children,
}: {
  title: string
  confirmLabel: string
  danger?: boolean
  /** Resolves when done (the dialog then closes itself through onClose), throws to show an error. */
  onConfirm: () => Promise<unknown>
  onClose: () => void
  children: ReactNode
}) {
  const [busy, setBusy] = useState(false)
  const [alert, setAlert] = useState<string | null>(null)
  const confirm = async (): Promise<void> => {
    setBusy(true)
    setAlert(null)
    try {
      await onConfirm()
    } catch (e) {
      setAlert(messageOf(e))
      setBusy(false)
    }
  }
  return (
    <Dialog title={title} onClose={onClose}>
      <div className="form">
        {children}
        <Alert>{alert}</Alert>
        <div className="form-actions">
          <Button className={danger ? 'btn-danger' : undefined} busy={busy} onClick={() => void confirm()}>
            {confirmLabel}
          </Button>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
        </div>
      </div>
    </Dialog>
  )
}
