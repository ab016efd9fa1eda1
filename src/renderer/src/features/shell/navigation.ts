import { createContext, useContext } from 'react'
import type { RecoveryFilter } from '../recovery/queries'
import type { SettingsSection } from '../settings/SettingsPage'
import type { UserFilter } from '../users/queries'

/** Where the console is. Kept in the shell's state: a desktop app has no address bar to mirror. */
export type Route =
  | { page: 'home' }
  | { page: 'users'; filter?: UserFilter | undefined }
  | { page: 'user'; userId: number }
  | { page: 'recovery'; filter?: RecoveryFilter | undefined }
  | { page: 'recovery-request'; requestId: number }
  | { page: 'profile' }
  | { page: 'audit' }
  | { page: 'settings'; section?: SettingsSection | undefined }

export type Navigate = (to: Route) => void

export const NavigationContext = createContext<Navigate>(() => {})

/** Lets a page send the person elsewhere (a dashboard figure to the filtered Users page, a row to a user). */
export const useNavigate = (): Navigate => useContext(NavigationContext)
