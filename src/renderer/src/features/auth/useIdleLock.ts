import { useEffect, useRef } from 'react'

export interface IdleTimers {
  now(): number
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export const browserTimers: IdleTimers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => window.setTimeout(fn, ms),
  clearTimeout: (handle) => window.clearTimeout(handle as number),
}

export const ACTIVITY_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'] as const
export const TOUCH_INTERVAL_MS = 30_000

export interface IdleLockOptions {
  idleMinutes: number
  /** Tells main the person is still here (api.session.touch); called at most every touchIntervalMs. */
  onActive: () => void
  /** No activity for idleMinutes: lock the console. Called once. */
  onIdle: () => void
  timers?: IdleTimers
  target?: EventTarget
  touchIntervalMs?: number
}

/**
 * Watches pointer and keyboard activity. One timer, re-armed only when it fires, so a moving mouse
 * costs a timestamp write rather than a timer per event.
 */
export function useIdleLock({
  idleMinutes,
  onActive,
  onIdle,
  timers = browserTimers,
  target,
  touchIntervalMs = TOUCH_INTERVAL_MS,
}: IdleLockOptions): void {
  const callbacks = useRef({ onActive, onIdle })
  useEffect(() => {
    callbacks.current = { onActive, onIdle }
  })

  useEffect(() => {
    const on = target ?? window
    const idleMs = idleMinutes * 60_000
    let lastActivity = timers.now()
    let lastTouch = lastActivity
    let fired = false
    let handle: unknown

    const check = (): void => {
      const remaining = lastActivity + idleMs - timers.now()
      if (remaining > 0) {
        handle = timers.setTimeout(check, remaining)
        return
      }
      fired = true
      callbacks.current.onIdle()
    }
    const activity = (): void => {
      if (fired) return
      const now = timers.now()
      lastActivity = now
      if (now - lastTouch >= touchIntervalMs) {
        lastTouch = now
        callbacks.current.onActive()
      }
    }

    handle = timers.setTimeout(check, idleMs)
    for (const type of ACTIVITY_EVENTS) on.addEventListener(type, activity, { passive: true })
    return () => {
      timers.clearTimeout(handle)
      for (const type of ACTIVITY_EVENTS) on.removeEventListener(type, activity)
    }
  }, [idleMinutes, timers, target, touchIntervalMs])
}
