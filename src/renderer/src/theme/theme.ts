import { useEffect } from 'react'

/** A person's choice in My profile; `system` follows the OS's light or dark setting as it changes. */
export type ThemeChoice = 'system' | 'light' | 'dark'
export type Theme = 'light' | 'dark'

const DARK_QUERY = '(prefers-color-scheme: dark)'

export function resolveTheme(choice: ThemeChoice, osPrefersDark: boolean): Theme {
  if (choice === 'system') return osPrefersDark ? 'dark' : 'light'
  return choice
}

/** Puts the theme on <html data-theme>, where styles.css picks its colours, and keeps it current. */
export function useAppliedTheme(choice: ThemeChoice): void {
  useEffect(() => {
    const media = window.matchMedia?.(DARK_QUERY)
    const apply = () => {
      document.documentElement.dataset['theme'] = resolveTheme(choice, media?.matches ?? false)
    }
    apply()
    if (choice !== 'system' || !media) return
    media.addEventListener('change', apply)
    return () => media.removeEventListener('change', apply)
  }, [choice])
}
