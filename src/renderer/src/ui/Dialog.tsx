import { useEffect, useId, useRef, type ReactNode } from 'react'
import { createPortal } from 'react-dom'

const TABBABLE = [
  'a[href]',
  'button:not([disabled])',
  'input:not([disabled]):not([type="hidden"])',
  'select:not([disabled])',
  'textarea:not([disabled])',
  '[tabindex]:not([tabindex="-1"])',
].join(', ')

/** What a person fills in: a checkbox is a decision ("I have given the code"), not where to start. */
const FIELD = [
  'input:not([disabled]):not([type="hidden"]):not([type="checkbox"]):not([type="radio"])',
  'input[type="radio"]:checked:not([disabled])',
  'select:not([disabled])',
  'textarea:not([disabled])',
].join(', ')

/** Elements Tab can reach inside `box`, in document order. */
export function tabbablesIn(box: HTMLElement): HTMLElement[] {
  return [...box.querySelectorAll<HTMLElement>(TABBABLE)].filter((el) => !el.closest('[hidden], [inert]'))
}

/**
 * Where focus starts: the first field, else what the dialog marked with `data-autofocus` (Cancel in a
 * confirmation, the code in a dialog that shows one), else the first thing Tab reaches.
 */
function initialFocus(box: HTMLElement): HTMLElement {
  return (
    box.querySelector<HTMLElement>(FIELD) ??
    box.querySelector<HTMLElement>('[data-autofocus]') ??
    tabbablesIn(box)[0] ??
    box
  )
}

/** Open dialogs, innermost last: only that one answers Escape and Tab. */
const stack: HTMLElement[] = []

/**
 * Makes everything in <body> but `keep` inert (the app's root among them) and returns how to undo it.
 * Only what this call made inert is given back, so a dialog opened from a dialog undoes just its part.
 */
function inertAllBut(keep: HTMLElement): () => void {
  const made = [...document.body.children].filter(
    (el): el is HTMLElement => el instanceof HTMLElement && el !== keep && !el.hasAttribute('inert'),
  )
  for (const el of made) el.setAttribute('inert', '')
  return () => {
    for (const el of made) el.removeAttribute('inert')
  }
}

/**
 * A modal dialog drawn by us (jsdom has no showModal), in a portal on <body> so that the page behind can
 * be made inert while it is open. It is labelled by its title; focus moves inside when it opens, Tab and
 * Shift+Tab cycle within it, and focus goes back to whatever opened it when it closes.
 *
 * Escape calls `onClose`. A dialog without `onClose` closes only through its own buttons: one that shows
 * a code once must not vanish on a stray key, since the code would be gone for good. A click on the
 * backdrop never closes a dialog.
 */
export function Dialog({
  title,
  onClose,
  children,
}: {
  title: string
  onClose?: () => void
  children: ReactNode
}) {
  const titleId = useId()
  const backdrop = useRef<HTMLDivElement>(null)
  const box = useRef<HTMLDivElement>(null)
  const close = useRef(onClose)
  useEffect(() => {
    close.current = onClose
  })
  useEffect(() => {
    const own = backdrop.current!
    const dialog = box.current!
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null
    stack.push(own)
    const restore = inertAllBut(own)

    const onKey = (e: KeyboardEvent): void => {
      if (stack[stack.length - 1] !== own) return
      if (e.key === 'Escape') {
        e.preventDefault()
        close.current?.()
      } else if (e.key === 'Tab') {
        const reachable = tabbablesIn(dialog)
        if (reachable.length === 0) {
          e.preventDefault()
          dialog.focus()
          return
        }
        const first = reachable[0]!
        const last = reachable[reachable.length - 1]!
        const at = document.activeElement
        const inside = at instanceof Node && dialog.contains(at)
        if (e.shiftKey && (!inside || at === first || at === dialog)) {
          e.preventDefault()
          last.focus()
        } else if (!e.shiftKey && (!inside || at === last)) {
          e.preventDefault()
          first.focus()
        }
      }
    }
    document.addEventListener('keydown', onKey)
    return () => {
      document.removeEventListener('keydown', onKey)
      stack.splice(stack.indexOf(own), 1)
      restore()
      if (opener?.isConnected) opener.focus()
    }
  }, [])
  // After the effect above has noted the opener. Again when the same dialog turns into another step
  // (a form that becomes the code it created): the new step's field or code gets focus.
  useEffect(() => {
    initialFocus(box.current!).focus()
  }, [title])
  return createPortal(
    <div ref={backdrop} className="dialog-backdrop">
      <div
        ref={box}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        className="dialog"
        tabIndex={-1}
      >
        <h2 id={titleId}>{title}</h2>
        {children}
      </div>
    </div>,
    document.body,
  )
}
