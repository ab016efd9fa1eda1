import { useEffect, useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Button } from './Button'
import { groupEvenly, spellAloud } from './codeSpelling'
import styles from './OneTimeCode.module.css'

/** The code as shown and as copied: even groups joined by `separator`. */
export const codeAsShown = (code: string, separator: '-' | ' '): string => groupEvenly(code).join(separator)

/**
 * A one-time code on screen: in even groups, focused when it appears so a screen reader reads it (the
 * dialog around it gives it focus through `data-autofocus`), and a "Read it aloud" disclosure with each
 * group spelled with the NATO alphabet (digits in the console's language), for a code read out on the phone.
 */
export function OneTimeCode({
  code,
  label,
  separator,
  className,
  focusOnShow = false,
}: {
  code: string
  /** The code's accessible name ("Invitation code"). */
  label: string
  /** Between groups: a dash where the code is typed or pasted, a space where it is read out. */
  separator: '-' | ' '
  /** How large it is drawn where it is shown. */
  className: string
  /** Outside a dialog (which focuses it itself): take focus when it appears. */
  focusOnShow?: boolean
}) {
  const { t } = useTranslation('ui')
  const digits = t('code.digits', { returnObjects: true })
  const spellingId = useId()
  const shown = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (focusOnShow) shown.current?.focus()
  }, [focusOnShow])
  const [aloud, setAloud] = useState(false)
  const groups = groupEvenly(code)
  return (
    <>
      <div
        ref={shown}
        role="textbox"
        aria-readonly="true"
        aria-label={label}
        tabIndex={0}
        data-autofocus
        className={`${className} mono ${styles.code}`}
      >
        {groups.map((g, i) => (
          <span key={i} className="code-group">
            {g}
            {i < groups.length - 1 && separator}
          </span>
        ))}
      </div>
      <div className={styles.aloud}>
        <Button
          variant="ghost"
          className="link-button"
          aria-expanded={aloud}
          aria-controls={spellingId}
          onClick={() => setAloud(!aloud)}
        >
          {t('code.readAloud')}
        </Button>
        <ol id={spellingId} hidden={!aloud} aria-label={t('code.spelled')} className={styles.spelling}>
          {groups.map((g, i) => (
            <li key={i}>
              <span className={styles.group} aria-hidden="true">
                {g}
              </span>
              <span className={styles.words}>{spellAloud(g, digits).join(' ')}</span>
            </li>
          ))}
        </ol>
      </div>
    </>
  )
}
