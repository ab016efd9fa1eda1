import { useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { messageOf } from '../api'
import { Alert } from './Alert'
import { Button } from './Button'
import { Dialog } from './Dialog'

/**
 * "Are you sure?" with the consequence spelled out; a refusal from main stays in the dialog's alert.
 * Focus starts on Cancel (or on the dialog's first field), so an Enter pressed out of habit cancels
 * instead of confirming; confirming takes a deliberate move to the confirm button.
 */
export function ConfirmDialog({
  title,
  confirmLabel,
  danger = false,
  confirmDisabled = false,
  onConfirm,
  onClose,
  children,
}: {
  title: string
  confirmLabel: string
  danger?: boolean
  /** Until what the dialog asks for is there (the person's email typed for a deletion). */
  confirmDisabled?: boolean
  /** Resolves when done (the dialog then closes itself through onClose), throws to show an error. */
  onConfirm: () => Promise<unknown>
  onClose: () => void
  children: ReactNode
}) {
  const { t } = useTranslation('ui')
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
          <Button
            className={danger ? 'btn-danger' : undefined}
            busy={busy}
            disabled={confirmDisabled}
            onClick={() => void confirm()}
          >
            {confirmLabel}
          </Button>
          <Button variant="secondary" data-autofocus onClick={onClose}>
            {t('cancel')}
          </Button>
        </div>
      </div>
    </Dialog>
  )
}
