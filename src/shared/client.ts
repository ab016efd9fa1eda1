import { channelOf, methodNames, type Input, type Method, type Output } from './api'
import type { Result } from './result'

/** Moves one call across a process boundary: ipcRenderer.invoke in the preload, a test binding in e2e. */
export type Transport = (channel: string, input: unknown) => Promise<unknown>

type Area<M extends string> = M extends `${infer A}.${string}` ? A : never
type Call<M extends Method> = (
  // An input with no required field (empty or all optional) may be left out: api.session.state().
  ...args: Record<never, never> extends Input<M> ? [input?: Input<M>] : [input: Input<M>]
) => Promise<Result<Output<M>>>

export type ApiClient = {
  [A in Area<Method>]: { [M in Method as M extends `${A}.${infer V}` ? V : never]: Call<M> }
}

/**
 * Builds `window.api` from the contract's method names (the keys of `api`): one function per method,
 * nothing generic, so a compromised page cannot reach a channel that is not in the contract. The names
 * come with their schemas, so the preload bundles zod (it cannot require a package in the sandbox).
 */
export function buildApiClient(transport: Transport): ApiClient {
  const client: Record<string, Record<string, (input?: unknown) => Promise<unknown>>> = {}
  for (const m of methodNames) {
    const [area, verb] = m.split('.') as [string, string]
    const channel = channelOf(m)
    client[area] ??= {}
    client[area][verb] = (input?: unknown) => transport(channel, input ?? {})
  }
  return client as unknown as ApiClient
}
