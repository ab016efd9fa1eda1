import { QueryCache, QueryClient, MutationCache, useQuery, useQueryClient } from '@tanstack/react-query'
import { useCallback } from 'react'
import type { SessionState } from '../../../shared/dto'
import { api, isSessionGone, unwrap } from '../api'

export const sessionKeys = {
  state: ['session', 'state'] as const,
}

export function useSessionState() {
  return useQuery({
    queryKey: sessionKeys.state,
    queryFn: () => unwrap(api().session.state()),
  })
}

/** Puts a state main just returned (lock, logout, unlock) in place, or re-reads it. */
export function useSessionUpdate() {
  const client = useQueryClient()
  const set = useCallback((state: SessionState) => client.setQueryData(sessionKeys.state, state), [client])
  const refresh = useCallback(() => client.invalidateQueries({ queryKey: sessionKeys.state }), [client])
  return { set, refresh }
}

/**
 * The app's query client. When any call finds the session locked or gone (the idle rule in main, a
 * lock from elsewhere), the session state is read again so the matching screen replaces this one.
 */
export function createQueryClient(): QueryClient {
  const onError = (e: unknown): void => {
    if (isSessionGone(e)) void client.invalidateQueries({ queryKey: sessionKeys.state })
  }
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: { retry: false, refetchOnWindowFocus: true, staleTime: 5_000 },
      mutations: { retry: false },
    },
  })
  return client
}
