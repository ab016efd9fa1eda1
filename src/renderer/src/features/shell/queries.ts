import { useMutation } from '@tanstack/react-query'
import { api, unwrap } from '../../api'
import { useSessionUpdate } from '../../session/queries'

/**
 * Locks the console (a click, or the idle timer). Main answers with the locked session, which replaces
 * the cached one; when it refuses (already locked or signed out elsewhere) the session is read again.
 */
export function useLockSession() {
  const { set, refresh } = useSessionUpdate()
  return useMutation({
    mutationFn: (reason: 'manual' | 'idle') => unwrap(api().auth.lock({ reason })),
    onSuccess: set,
    onError: () => refresh(),
  })
}

/** Signs out; the signed-out session main returns replaces the cached one. */
export function useLogout() {
  const { set } = useSessionUpdate()
  return useMutation({
    mutationFn: () => unwrap(api().auth.logout()),
    onSuccess: set,
  })
}

/** Tells main the person is still here, so its idle rule agrees with the screen; the answer is the session. */
export function useTouchSession() {
  const { set, refresh } = useSessionUpdate()
  return useMutation({
    mutationFn: () => unwrap(api().session.touch()),
    onSuccess: set,
    onError: () => refresh(),
  })
}
