import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Button } from '../../ui/Button'
import styles from './HavingTrouble.module.css'

export interface TroubleChoice {
  label: string
  /** One line under the choice: what it does, so the person can pick without trying each. */
  detail: string
  onChoose: () => void
}

/**
 * "Having trouble?" under the app code: one closed disclosure instead of a row of equal buttons, so the
 * code field stays the obvious way on; opened, it lists the other ways in.
 */
export function HavingTrouble({ choices }: { choices: TroubleChoice[] }) {
  const { t } = useTranslation('auth')
  const [open, setOpen] = useState(false)
  const listId = useId()
  return (
    <div className={styles.trouble}>
      <Button
        variant="ghost"
        className="link-button"
        aria-expanded={open}
        aria-controls={listId}
        onClick={() => setOpen((o) => !o)}
      >
        {t('trouble.toggle')}
      </Button>
      <ul id={listId} className={styles.choices} hidden={!open} aria-label={t('trouble.label')}>
        {choices.map((c) => (
          <li key={c.label}>
            <Button variant="secondary" onClick={c.onChoose}>
              {c.label}
            </Button>
            <span className="muted">{c.detail}</span>
          </li>
        ))}
      </ul>
    </div>
  )
}
