import { useId, useState } from 'react'
import { createPortal } from 'react-dom'
import { Trans, useTranslation } from 'react-i18next'
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
import styles from './BackupCodes.module.css'

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
  const { t } = useTranslation('twoFactor')
  const checkId = useId()
  const [saved, setSaved] = useState(false)
  const [notice, setNotice] = useState<string | null>(null)
  const [alert, setAlert] = useState<string | null>(null)
  const text = (): string => backupCodesText(codes, account, new Date())

  const copy = async (): Promise<void> => {
    setAlert(null)
    try {
      await copyThenClear(codes.join('\n'), schedule)
      setNotice(t('backupCodes.copied'))
    } catch {
      setNotice(null)
      setAlert(t('backupCodes.noClipboard'))
    }
  }

  return (
    <div className={styles.step}>
      <p>
        <Trans t={t} i18nKey="backupCodes.intro" components={{ strong: <strong /> }} />
      </p>
      <ol aria-label={t('backupCodes.label')} className={styles.codes}>
        {codes.map((c) => (
          <li key={c} className="mono">
            {c}
          </li>
        ))}
      </ol>
      <div className="form-actions">
        <Button variant="secondary" onClick={() => void copy()}>
          {t('backupCodes.copy')}
        </Button>
        <Button variant="secondary" onClick={() => downloadText(BACKUP_CODES_FILE, text())}>
          {t('backupCodes.download')}
        </Button>
        <Button variant="secondary" onClick={() => window.print()}>
          {t('backupCodes.print')}
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
          <label htmlFor={checkId}>{t('backupCodes.saved')}</label>
        </div>
        <div className="form-actions">
          <Button type="submit" disabled={!saved}>
            {t('backupCodes.done')}
          </Button>
        </div>
      </form>
      {createPortal(
        <section className={styles.printSheet} aria-hidden="true">
          <pre>{text()}</pre>
        </section>,
        document.body,
      )}
    </div>
  )
}
