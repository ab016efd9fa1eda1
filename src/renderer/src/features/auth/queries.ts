import { useMutation } from '@tanstack/react-query'
import type { Input } from '../../../../shared/api'
import type { RecoveryFiledDto, SessionState } from '../../../../shared/dto'
import { api, unwrap } from '../../api'
import { useSessionUpdate } from '../../session/queries'
import { abandonEnrollment } from '../two-factor/queries'

// The sign-in steps. Each step moves the session on in main; the screen that follows comes from reading
// the session again (App shows one screen per phase), so a step's mutation refreshes the session query
// before it resolves. Nothing a step sends or answers (passwords, codes) is cached: the screen goes.

/**
 * A step that changes the session. `before` runs with main's answer before the session is read again,
 * for what the next screen needs to know (why enrollment is there, how many backup codes are left).
 */
function useSessionStep<I, R>(call: (input: I) => Promise<R>, before?: (result: R) => void) {
  const { refresh } = useSessionUpdate()
  return useMutation({
    mutationFn: call,
    gcTime: 0,
    onSuccess: async (result) => {
      before?.(result)
      await refresh()
    },
  })
}

/** Email and password: the session moves to the second step, enrollment, or the console. */
export function useSignIn() {
  return useSessionStep((input: Input<'auth.login'>) => unwrap(api().auth.login(input)))
}

/** An invited person's first sign-in: the invitation code and their own password. */
export function useActivate() {
  return useSessionStep((input: Input<'auth.activate'>) => unwrap(api().auth.activate(input)))
}

/** The app code or a backup code; `onVerified` hears how many backup codes are left (null for an app code). */
export function useVerifySecondFactor(onVerified?: (backupCodesRemaining: number | null) => void) {
  return useSessionStep(
    (input: Input<'auth.verifySecondFactor'>) => unwrap(api().auth.verifySecondFactor(input)),
    (result) => onVerified?.(result.backupCodesRemaining),
  )
}

/** A login code to the verified emergency phone; changes nothing the window has read. */
export function useSendLoginSmsCode() {
  return useMutation({ mutationFn: () => unwrap(api().auth.sendSmsCode()), gcTime: 0 })
}

/** The code from the SMS: the old authenticator is revoked and the session may only enroll a new one. */
export function useVerifyLoginSmsCode(onRecovered?: () => void) {
  return useSessionStep(
    (input: Input<'auth.verifySmsCode'>) => unwrap(api().auth.verifySmsCode(input)),
    () => onRecovered?.(),
  )
}

/** Support's temporary access code after the password: as the SMS code, enrollment follows. */
export function useVerifyAccessCode(onAccepted?: () => void) {
  return useSessionStep(
    (input: Input<'auth.verifyAccessCode'>) => unwrap(api().auth.verifyAccessCode(input)),
    () => onAccepted?.(),
  )
}

/**
 * "Ask support for help" after the password. Main files the request and signs the attempt out; `onFiled`
 * gets the confirmation before the session says signed-out, so it stands in for the sign-in screen.
 */
export function useRequestRecovery(onFiled: (filed: RecoveryFiledDto) => void) {
  const { set } = useSessionUpdate()
  return useMutation({
    mutationFn: (input: Input<'auth.requestRecovery'>) => unwrap(api().auth.requestRecovery(input)),
    gcTime: 0,
    onSuccess: (filed) => {
      onFiled(filed)
      set({ phase: 'signed-out' })
    },
  })
}

/**
 * The password opens the locked console. Read the session again whatever the answer: a lockout while
 * unlocking ends the session in main, and the screen must follow.
 */
export function useUnlock() {
  const { refresh } = useSessionUpdate()
  return useMutation({
    mutationFn: (input: Input<'auth.unlock'>) => unwrap(api().auth.unlock(input)),
    gcTime: 0,
    onSettled: () => refresh(),
  })
}

/**
 * Signs out from a sign-in screen; main answers with the new state, put in place. During a required
 * enrollment the unfinished one is given up first, so main records the abandon.
 */
export function useSignOut({ abandoningEnrollment = false } = {}) {
  const { set } = useSessionUpdate()
  return useMutation({
    mutationFn: async (): Promise<SessionState> => {
      if (abandoningEnrollment) await abandonEnrollment()
      return unwrap(api().auth.logout())
    },
    onSuccess: (state) => set(state),
  })
}

// Signed out, with a forgotten password. These change nothing this window has read, except the last,
// which signs the person in to enroll a new authenticator.

/** "Forgot password?": the answer reads the same whatever the address. */
export function usePasswordForgot() {
  return useMutation({
    mutationFn: (input: Input<'password.forgot'>) => unwrap(api().password.forgot(input)),
  })
}

/** A reset code and a new password; every session of the person ends, nobody is signed in here. */
export function useResetWithCode() {
  return useMutation({
    mutationFn: (input: Input<'password.resetWithCode'>) => unwrap(api().password.resetWithCode(input)),
    gcTime: 0,
  })
}

/** "I also lost my authenticator app": a request to support with the email only. */
export function usePasswordAskSupport() {
  return useMutation({
    mutationFn: (input: Input<'password.askSupport'>) => unwrap(api().password.askSupport(input)),
  })
}

/** Support's temporary access code with a new password: signed in to enroll a new authenticator. */
export function useResetWithAccessCode(onAccepted?: () => void) {
  return useSessionStep(
    (input: Input<'password.resetWithAccessCode'>) => unwrap(api().password.resetWithAccessCode(input)),
    () => onAccepted?.(),
  )
}
