import { useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import { api } from '../api'

/** What to refresh when another console changed an area: its pages, and the dashboard's figures. */
const REFRESH: Record<string, readonly (readonly string[])[]> = {
  users: [['users'], ['dashboard']],
  recovery: [['recovery'], ['dashboard']],
}

const RETRY_MS = 5000

/**
 * On a team database, what other consoles change (a new recovery request, a lockout, a user) appears
 * here as it commits: a long poll on `changes.next` that main answers when it hears PostgreSQL's notice,
 * and only the pages of the changed areas are fetched again — nothing polls a table. On the file there
 * is nobody else to hear, and the first answer says so.
 */
export function useLiveUpdates(): void {
  const client = useQueryClient()
  useEffect(() => {
    let stopped = false
    const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
    void (async () => {
      let after: number | undefined
      while (!stopped) {
        const r = await api()
          .changes.next({ after: after ?? 0, waitMs: after === undefined ? 0 : 20_000 })
          .catch(() => undefined)
        if (stopped) return
        if (!r?.ok) {
          await wait(RETRY_MS)
          continue
        }
        if (!r.value.live) return
        if (after !== undefined) {
          for (const area of r.value.areas) {
            for (const queryKey of REFRESH[area] ?? []) void client.invalidateQueries({ queryKey })
          }
        }
        after = r.value.version
      }
    })()
    return () => {
      stopped = true
    }
  }, [client])
}
