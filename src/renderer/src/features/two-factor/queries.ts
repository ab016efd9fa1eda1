import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useCallback } from 'react'
import type { RegenerateBackupCodesRequest } from '../../../../shared/schemas'
import { api, unwrap } from '../../api'

/**
 * Only the status (on/off, slot use) is cached. Secrets of the wizard and the dialogs (QR, manual key,
 * backup codes) stay in component state and go with the component.
 */
export const twoFactorKeys = { status: ['twoFactor', 'status'] as const }

export function useTwoFactorStatus() {
  // Slots can be spent from another window or the CLI: read afresh whenever the page shows it.
  return useQuery({
    queryKey: twoFactorKeys.status,
    queryFn: () => unwrap(api().twoFactor.status()),
    staleTime: 0,
  })
}

export function useRefreshTwoFactorStatus() {
  const client = useQueryClient()
  return useCallback(() => client.invalidateQueries({ queryKey: twoFactorKeys.status }), [client])
}

/** A new set of backup codes (the old set stops working); the status shows the new count. */
export function useRegenerateBackupCodes() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: RegenerateBackupCodesRequest) => unwrap(api().twoFactor.regenerateBackupCodes(input)),
    onSuccess: () => client.invalidateQueries({ queryKey: twoFactorKeys.status }),
  })
}

/** Gives up an enrollment that never got its code; nothing was stored, and main records the abandon. */
export function abandonEnrollment(): Promise<unknown> {
  // The session may already be locked or gone (then main keeps nothing usable either): ignore the result.
  return api()
    .twoFactor.abandonEnrollment()
    .catch(() => undefined)
}
