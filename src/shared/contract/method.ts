import type { z } from 'zod'
import type { Capability } from '../access'

/**
 * Who may call a method:
 * - 'anyone': no session needed (first run, login, unlocking a locked session)
 * - a capability (shared/access.ts): a signed-in, unlocked session whose role has it. Which person a
 *   call may act on (rank, owners, two approvers) is checked by the core, with the same module.
 */
export type Access = 'anyone' | Capability

/** Login stages a role-gated method may run in; by default only a complete login ('full'). */
export type Stage = 'second-factor' | 'enroll' | 'full'

export interface MethodSpec<I extends z.ZodType, O> {
  input: I
  access: Access
  stages?: readonly Stage[]
  /** Phantom: carries the output type; never read at run time. */
  output?: O
}

/**
 * One area's methods, named `<area>.<verb>`: a name outside the area's prefixes does not compile, so two
 * areas cannot define the same method.
 */
export type AreaMethods<Area extends string> = Record<`${Area}.${string}`, MethodSpec<z.ZodType, unknown>>

/** `method<Output>()(inputSchema, access, stages?)`: a method's spec, its output given as a type. */
export const method = <O>() => {
  return <I extends z.ZodType>(input: I, access: Access, stages?: readonly Stage[]): MethodSpec<I, O> =>
    stages ? { input, access, stages } : { input, access }
}

export const everyone = 'own-account'
export const managers = 'users.manage'
export const readers = 'users.read'
/** Enrollment is what a person who must enroll first is allowed to do. */
export const enrolling = ['full', 'enroll'] as const
