import { useEffect, useId, useRef, type ReactNode } from 'react'
import styles from './StepHeading.module.css'

/**
 * The heading of a step that replaces another on the same screen (a wizard step, a way back in at the
 * second login step). It takes focus when it appears, so keyboard and screen reader users start at the
 * new step instead of on a button that is gone; `progress` ("Step 2 of 3"), shown above it, describes it
 * and is read out with it.
 */
export function StepHeading({
  children,
  progress,
  focus = true,
}: {
  children: ReactNode
  progress?: string | undefined
  /** False where the step's first field takes focus instead. */
  focus?: boolean
}) {
  const ref = useRef<HTMLHeadingElement>(null)
  const progressId = useId()
  useEffect(() => {
    if (focus) ref.current?.focus()
  }, [focus])
  return (
    <>
      {progress && (
        <p id={progressId} className={`${styles.progress} muted`}>
          {progress}
        </p>
      )}
      <h2
        ref={ref}
        tabIndex={-1}
        className={styles.heading}
        aria-describedby={progress ? progressId : undefined}
      >
        {children}
      </h2>
    </>
  )
}
