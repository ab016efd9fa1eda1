import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useCallback } from 'react'
import type { Input } from '../../../../shared/api'
import type { RegenerateBackupCodesRequest } from '../../../../shared/schemas'
import { api, unwrap } from '../../api'
import { useSessionUpdate } from '../../session/queries'

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

/**
 * Starts an enrollment (with the password, or with a sign-in moments ago): the QR code and manual key,
 * which stay in the wizard's state. Nothing is stored yet, so nothing cached changes.
 */
export function useStartEnrollment() {
  return useMutation({
    mutationFn: (input: Input<'twoFactor.startEnrollment'>) => unwrap(api().twoFactor.startEnrollment(input)),
  })
}

/**
 * The first app code turns 2FA on and answers with the backup codes; the status and the session (an
 * enrollment main required ends here) are read again.
 */
export function useConfirmEnrollment() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (code: string) => unwrap(api().twoFactor.confirmEnrollment({ code })),
    // The answer holds the backup codes: not kept once the wizard is gone.
    gcTime: 0,
    onSuccess: () => client.invalidateQueries({ queryKey: twoFactorKeys.status }),
  })
}

/**
 * Turns 2FA off (password and an app or backup code). The status changes, and so may the session:
 * someone who must have 2FA is sent straight back into enrollment by main.
 */
export function useTurnOffTwoFactor() {
  const client = useQueryClient()
  const { refresh } = useSessionUpdate()
  return useMutation({
    mutationFn: (input: Input<'twoFactor.disable'>) => unwrap(api().twoFactor.disable(input)),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: twoFactorKeys.status })
      await refresh()
    },
  })
}

/** Gives up an enrollment that never got its code; nothing was stored, and main records the abandon. */
export function abandonEnrollment(): Promise<unknown> {
  // The session may already be locked or gone (then main keeps nothing usable either): ignore the result.
  return api()
    .twoFactor.abandonEnrollment()
    .catch(() => undefined)
}
