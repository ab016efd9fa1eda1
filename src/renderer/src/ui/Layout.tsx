import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import styles from './Layout.module.css'

/** The centred card used by every screen before the console opens (setup, sign in, locked…). */
export function AuthLayout({
  title,
  intro,
  wide = false,
  children,
}: {
  title: string
  intro?: ReactNode
  /** For a screen with more to show (the enrollment wizard's QR code and key). */
  wide?: boolean
  children: ReactNode
}) {
  const { t } = useTranslation('ui')
  return (
    <main className="auth-page">
      <div className={wide ? `auth-card ${styles.wide}` : 'auth-card'}>
        <div className="brand" aria-hidden="true">
          <span className="brand-mark">{t('brand').charAt(0)}</span> {t('brand')}
        </div>
        <h1>{title}</h1>
        {intro && <div className="auth-intro">{intro}</div>}
        {children}
      </div>
    </main>
  )
}

export function Panel({
  title,
  actions,
  children,
}: {
  title: string
  actions?: ReactNode
  children: ReactNode
}) {
  return (
    <section className="panel" aria-label={title}>
      <div className="panel-header">
        <h2>{title}</h2>
        {actions && <div className="panel-actions">{actions}</div>}
      </div>
      {children}
    </section>
  )
}
