import type { z } from 'zod'
import {
  auditMethods,
  authMethods,
  dashboardMethods,
  emailMethods,
  passwordMethods,
  phoneMethods,
  policyMethods,
  preferencesMethods,
  recoveryMethods,
  sessionMethods,
  setupMethods,
  smsMethods,
  twoFactorMethods,
  usersMethods,
} from './contract'
import type { MethodSpec } from './contract/method'

export type { Access, MethodSpec, Stage } from './contract/method'

/**
 * The contract between the renderer (and the CLI) and main: every area's methods, each defined with its
 * schema, access rule and output in its area's file under contract/. A method without a schema and an
 * access rule does not compile, and main's handler map must implement every key (see ipc/handlers).
 */
export const api = {
  ...sessionMethods,
  ...setupMethods,
  ...authMethods,
  ...twoFactorMethods,
  ...phoneMethods,
  ...usersMethods,
  ...dashboardMethods,
  ...policyMethods,
  ...preferencesMethods,
  ...auditMethods,
  ...smsMethods,
  ...recoveryMethods,
  ...emailMethods,
  ...passwordMethods,
} as const satisfies Record<string, MethodSpec<z.ZodType, unknown>>

export type Api = typeof api
export type Method = keyof Api
export type Input<M extends Method> = z.input<Api[M]['input']>
export type ParsedInput<M extends Method> = z.output<Api[M]['input']>
export type Output<M extends Method> = Api[M] extends MethodSpec<z.ZodType, infer O> ? O : never

/** Every method's name, in the order of `api`. */
export const methodNames = Object.keys(api) as readonly Method[]

/** Wire channel of a method: `api:<area>.<verb>`. */
export const channelOf = (m: Method): `api:${Method}` => `api:${m}`
