import { sql, type CompiledQuery, type Kysely, type RawBuilder } from 'kysely'
import type { Schema } from './schema'
import type { Store } from './store'

/** Where a call's own value goes in a query compiled once: the index-th argument of the call. */
class Slot {
  constructor(readonly index: number) {}
}

/** Placeholders for a prepared query's arguments, in order. */
export type Args<A extends readonly unknown[]> = { readonly [K in keyof A]: RawBuilder<A[K]> }

/**
 * The SQL texts of prepared queries, each with a statement name: an engine that keeps statements on its
 * connections (PostgreSQL) parses and plans each of them once per connection instead of on every call.
 */
const statementNames = new Map<string, string>()
export const statementNameOf = (text: string): string | undefined => statementNames.get(text)

/** Marks a compiled query's text as one the hot paths run again and again. */
export function keepStatement(text: string): void {
  if (!statementNames.has(text)) statementNames.set(text, `tessera_${statementNames.size + 1}`)
}

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
    if (!query) {
      byStore.set(db, (query = build(db.root, slots as unknown as Args<A>).compile()))
      keepStatement(query.sql)
    }
    return db.run<R>(
      query.sql,
      query.parameters.map((p) => (p instanceof Slot ? args[p.index] : p)),
    )
  }
}
