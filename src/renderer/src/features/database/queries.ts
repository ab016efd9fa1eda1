import { useMutation } from '@tanstack/react-query'
import { api, unwrap } from '../../api'
import { useSessionUpdate } from '../../session/queries'

/** Opens the database with its passphrase; the session main answers with replaces the cached one. */
export function useUnlockDatabase() {
  const { set } = useSessionUpdate()
  return useMutation({
    mutationFn: (passphrase: string) => unwrap(api().database.unlock({ passphrase })),
    onSuccess: set,
  })
}
