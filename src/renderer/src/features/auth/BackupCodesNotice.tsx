import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Button } from '../../ui/Button'
import { RegenerateCodesDialog } from '../two-factor/RegenerateCodesDialog'
import styles from './BackupCodesNotice.module.css'

/**
 * Shown once in the console after a backup-code login: how many codes are left, and a stronger warning
 * (read out at once) when one or none is left, with the way to a new set right there — without the
 * password again, since the person has just given it.
 */
export function BackupCodesNotice({
  remaining,
  account,
  onDismiss,
}: {
  remaining: number
  /** The signed-in email, for the codes' download and print. */
  account: string
  onDismiss: () => void
}) {
  const { t } = useTranslation('auth')
  const [creating, setCreating] = useState(false)
  const low = remaining <= 1
  const count = remaining === 0 ? t('backupNotice.none') : t('backupNotice.left', { count: remaining })
  return (
    <div
      role={low ? 'alert' : 'status'}
      className={low ? 'alert alert-warning notice' : 'alert alert-ok notice'}
    >
      <p>
        {t('backupNotice.signedIn')} {low ? <strong>{count}</strong> : count}
        {low && <> {t('backupNotice.createNow')}</>}
      </p>
      <div className={`form-actions ${styles.actions}`}>
        {low && <Button onClick={() => setCreating(true)}>{t('backupNotice.create')}</Button>}
        <Button variant="ghost" onClick={onDismiss}>
          {t('backupNotice.dismiss')}
        </Button>
      </div>
      {creating && (
        <RegenerateCodesDialog
          account={account}
          justSignedIn
          // The new set makes this warning moot; Cancel leaves it up.
          onClose={() => setCreating(false)}
          onCreated={onDismiss}
        />
      )}
    </div>
  )
}
