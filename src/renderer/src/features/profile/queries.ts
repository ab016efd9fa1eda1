import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { PreferencesDto, PreferencesSetInput } from '../../../../shared/dto'
import type { PasswordChangeInput } from '../../../../shared/schemas'
import { api, unwrap } from '../../api'
import { twoFactorKeys } from '../two-factor/queries'

export const preferenceKeys = { mine: ['preferences'] as const }

/** The signed-in person's language and theme (only asked for once someone is signed in). */
export function usePreferences(enabled: boolean) {
  return useQuery({
    queryKey: preferenceKeys.mine,
    queryFn: () => unwrap(api().preferences.get()),
    enabled,
    staleTime: Infinity,
  })
}

/** Saves a choice; the answer replaces the cached preferences, so the console changes at once. */
export function useSetPreferences() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: PreferencesSetInput) => unwrap(api().preferences.set(input)),
    onSuccess: (saved: PreferencesDto) => client.setQueryData(preferenceKeys.mine, saved),
  })
}

/**
 * Changes the signed-in person's password (main signs their other sessions out). A backup code given
 * as the second factor is spent, or its slot counted, even when the change is refused: the 2FA status
 * is read again then.
 */
export function useChangePassword() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: PasswordChangeInput) => unwrap(api().password.change(input)),
    onSettled: (_result, _error, input) => {
      if (input.secondFactor && 'backupCode' in input.secondFactor) {
        void client.invalidateQueries({ queryKey: twoFactorKeys.status })
      }
    },
  })
}
