export const ELECTRON_HEADERS_URL: string

export function findNodeGyp(env?: NodeJS.ProcessEnv): string | undefined

export function headersDownloadFailed(output: string): boolean

export function rebuildForElectron(options: {
  moduleDir: string
  electronVersion: string
  logFile: string
  distUrl?: string
  devdir?: string
  nodeGyp?: string
  env?: NodeJS.ProcessEnv
}): { ok: true } | { ok: false; headersUnavailable: boolean }
