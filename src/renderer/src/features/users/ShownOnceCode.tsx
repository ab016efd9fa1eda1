import { useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { Alert, Notice } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { codeAsShown, OneTimeCode } from '../../ui/OneTimeCode'
import { copyThenClear, type Schedule } from '../two-factor/backupCodesOut'
import styles from './ShownOnceCode.module.css'

/**
 * A code an administrator passes on and never sees again (an invitation code, a password reset code):
 * the code in even groups with its spelling to read out, what it is good for, and Copy (of the code as
 * shown), which clears the clipboard again after 30 seconds.
 */
export function ShownOnceCode({
  code,
  label,
  schedule,
  children,
  actions,
}: {
  code: string
  /** The code's accessible name ("Invitation code"). */
  label: string
  schedule: Schedule
  /** Said under the code: how long it is valid and how it is used. */
  children: ReactNode
  /** Buttons after Copy. */
  actions?: ReactNode
}) {
  const { t } = useTranslation('users')
  const [notice, setNotice] = useState<string | null>(null)
  const [alert, setAlert] = useState<string | null>(null)
  const copy = async (): Promise<void> => {
    setAlert(null)
    try {
      await copyThenClear(codeAsShown(code, '-'), schedule)
      setNotice(t('shownOnce.copied'))
    } catch {
      setNotice(null)
      setAlert(t('shownOnce.noClipboard'))
    }
  }
  return (
    <>
      <OneTimeCode code={code} label={label} separator="-" className={styles.code ?? ''} />
      {children}
      <Alert>{alert}</Alert>
      <Notice>{notice}</Notice>
      <div className="form-actions">
        <Button variant="secondary" onClick={() => void copy()}>
          {t('shownOnce.copy')}
        </Button>
        {actions}
      </div>
    </>
  )
}
