import type { ReactNode } from 'react'

/** An error the person must read: announced at once by screen readers. */
export function Alert({ children }: { children: ReactNode }) {
  if (!children) return null
  return (
    <div role="alert" className="alert alert-error">
      {children}
    </div>
  )
}

/** A quiet confirmation ("Settings saved."), announced politely. */
export function Notice({ children }: { children: ReactNode }) {
  return (
    <div role="status" className={children ? 'alert alert-ok' : 'visually-hidden'}>
      {children}
    </div>
  )
}
