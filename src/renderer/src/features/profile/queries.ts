import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { PreferencesDto, PreferencesSetInput } from '../../../../shared/dto'
import { api, unwrap } from '../../api'

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
