import { homedir } from 'node:os'
import { join } from 'node:path'

export const APP_DIR_NAME = 'Tessera'
export const DB_FILE_NAME = 'tessera.db'

/**
 * The app's user-data folder, computed the way Electron's app.getPath('userData') does for an app named
 * "Tessera", so the desktop app and the CLI find the same database without talking to each other.
 */
export function userDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_DIR_NAME)
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_DIR_NAME)
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), APP_DIR_NAME)
}

/** --db, else TESSERA_DB, else the user-data folder. */
export function resolveDbPath(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag || env.TESSERA_DB || join(userDataDir(process.platform, env), DB_FILE_NAME)
}
