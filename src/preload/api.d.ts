import type { ApiClient } from '../shared/client'

declare global {
  interface Window {
    /** Built by the preload from the shared contract (src/shared/api.ts). */
    api: ApiClient
  }
}

export {}
