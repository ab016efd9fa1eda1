import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useCallback } from 'react'
import type { Input } from '../../../../shared/api'
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

/** A number (with the password, and the app code when replacing a verified one): a code goes to it by SMS. */
export function useStartPhone() {
  const refresh = useRefreshPhoneStatus()
  return useMutation({
    mutationFn: (input: Input<'phone.start'>) => unwrap(api().phone.start(input)),
    // The number now waits for its code.
    onSuccess: () => refresh(),
  })
}

/** The code from the SMS makes the waiting number the verified emergency phone. */
export function useVerifyPhone() {
  const refresh = useRefreshPhoneStatus()
  return useMutation({
    mutationFn: (code: string) => unwrap(api().phone.verify({ code })),
    onSuccess: () => refresh(),
  })
}
