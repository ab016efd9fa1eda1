import { act, fireEvent, renderHook } from '@testing-library/react'
import { useIdleLock, type IdleTimers } from './useIdleLock'

/** Timers the test moves by hand: the hook sees time only through them. */
function manualTimers() {
  let now = 0
  let next = 1
  const pending = new Map<number, { at: number; fn: () => void }>()
  const timers: IdleTimers = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = next++
      pending.set(id, { at: now + ms, fn })
      return id
    },
    clearTimeout: (id) => void pending.delete(id as number),
  }
  const advance = (ms: number): void => {
    const end = now + ms
    for (;;) {
      const due = [...pending.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0]
      if (!due) break
      pending.delete(due[0])
      now = due[1].at
      act(() => due[1].fn())
    }
    now = end
  }
  return { timers, advance, pendingCount: () => pending.size }
}

const minutes = (m: number): number => m * 60_000

function setup(idleMinutes = 5) {
  const clock = manualTimers()
  const onIdle = vi.fn()
  const onActive = vi.fn()
  const hook = renderHook(
    (props: { idleMinutes: number }) =>
      useIdleLock({ idleMinutes: props.idleMinutes, onIdle, onActive, timers: clock.timers }),
    { initialProps: { idleMinutes } },
  )
  return { ...clock, onIdle, onActive, hook }
}

describe('useIdleLock', () => {
  it('locks once after the configured idle minutes', () => {
    const t = setup(5)
    t.advance(minutes(5) - 1)
    expect(t.onIdle).not.toHaveBeenCalled()
    t.advance(1)
    expect(t.onIdle).toHaveBeenCalledTimes(1)
    t.advance(minutes(30))
    expect(t.onIdle).toHaveBeenCalledTimes(1)
  })

  it('counts idle time from the last pointer or key activity', () => {
    const t = setup(2)
    t.advance(minutes(1.5))
    fireEvent.keyDown(window, { key: 'a' })
    t.advance(minutes(1.5))
    expect(t.onIdle).not.toHaveBeenCalled()
    fireEvent.pointerMove(window)
    t.advance(minutes(2) - 1)
    expect(t.onIdle).not.toHaveBeenCalled()
    t.advance(1)
    expect(t.onIdle).toHaveBeenCalledTimes(1)
  })

  it('tells main about activity at most every 30 seconds', () => {
    const t = setup(5)
    t.advance(10_000)
    fireEvent.pointerDown(window)
    expect(t.onActive).not.toHaveBeenCalled()
    t.advance(20_000)
    fireEvent.pointerMove(window)
    expect(t.onActive).toHaveBeenCalledTimes(1)
    for (let i = 0; i < 10; i++) {
      t.advance(1_000)
      fireEvent.keyDown(window, { key: 'x' })
    }
    expect(t.onActive).toHaveBeenCalledTimes(1)
    t.advance(30_000)
    fireEvent.wheel(window)
    expect(t.onActive).toHaveBeenCalledTimes(2)
  })

  it('follows a changed idle time and stops watching when unmounted', () => {
    const t = setup(5)
    t.hook.rerender({ idleMinutes: 1 })
    t.advance(minutes(1))
    expect(t.onIdle).toHaveBeenCalledTimes(1)
    t.hook.unmount()
    expect(t.pendingCount()).toBe(0)
  })
})
