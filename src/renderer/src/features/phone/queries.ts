import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useCallback } from 'react'
import { api, unwrap } from '../../api'

export const phoneKeys = { status: ['phone', 'status'] as const }

/** The emergency phone, always masked (null: none entered yet). */
export function usePhoneStatus() {
  return useQuery({
    queryKey: phoneKeys.status,
    queryFn: () => unwrap(api().phone.status()),
    staleTime: 0,
  })
}

export function useRefreshPhoneStatus() {
  const client = useQueryClient()
  return useCallback(() => client.invalidateQueries({ queryKey: phoneKeys.status }), [client])
}
