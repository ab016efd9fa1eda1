import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { Policy } from '../../../../shared/dto'
import { api, unwrap } from '../../api'
import { sessionKeys } from '../../session/queries'

export const policyKeys = { current: ['policy'] as const }

export function usePolicy() {
  return useQuery({ queryKey: policyKeys.current, queryFn: () => unwrap(api().policy.get()) })
}

export function useUpdatePolicy() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (changes: Partial<Policy>) => unwrap(api().policy.update(changes)),
    onSuccess: (policy) => {
      client.setQueryData(policyKeys.current, policy)
      // The idle lock reads idleLockMinutes from the session state.
      void client.invalidateQueries({ queryKey: sessionKeys.state })
    },
  })
}

export const databaseKeys = { status: ['database', 'status'] as const }

/** Where the data lives and how it is protected (engine, key store, cipher, audit head). */
export function useDatabaseStatus() {
  return useQuery({ queryKey: databaseKeys.status, queryFn: () => unwrap(api().database.status()) })
}
