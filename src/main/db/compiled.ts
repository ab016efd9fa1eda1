import { CompiledQuery, sql, type Kysely, type RawBuilder } from 'kysely'
import type { Schema } from './schema'
import type { Store } from './store'

/** Where a call's own value goes in a query compiled once: the index-th argument of the call. */
class Slot {
  constructor(readonly index: number) {}
}

/** Placeholders for a prepared query's arguments, in order. */
export type Args<A extends readonly unknown[]> = { readonly [K in keyof A]: RawBuilder<A[K]> }

const MAX_ARGS = 8
const slots = Array.from({ length: MAX_ARGS }, (_, i) => sql`${new Slot(i)}`)

/**
 * A query the hot paths run again and again (the gate's session check, a user's page, the dashboard),
 * built and compiled once per store instead of on every call: building a query with Kysely costs more
 * than running a small one on the file. The builder gets placeholders for the call's values and must
 * not depend on anything else that changes between calls.
 */
export function prepared<A extends readonly unknown[], R>(
  build: (q: Kysely<Schema>, args: Args<A>) => { compile(): CompiledQuery<R> },
): (db: Store, ...args: A) => Promise<R[]> {
  const byStore = new WeakMap<Store, CompiledQuery<R>>()
  return (db, ...args) => {
    let query = byStore.get(db)
    if (!query) byStore.set(db, (query = build(db.root, slots as unknown as Args<A>).compile()))
    const parameters = query.parameters.map((p) => (p instanceof Slot ? args[p.index] : p))
    return db.rows(CompiledQuery.raw(query.sql, parameters) as CompiledQuery<R>)
  }
}
