import { AsyncLocalStorage } from 'node:async_hooks'
import { CompiledQuery, type Kysely } from 'kysely'
import type { Schema } from './schema'
import { PLAIN, type Sealer } from './sealing'

export type EngineName = 'sqlite' | 'postgres'

/** What runs queries: the store's connection, or the transaction the caller is in. */
export type Executor = Kysely<Schema>

/** The checks a database runs on itself (`tessera db check`). */
export interface FileCheck {
  integrity: string[]
  foreignKeys: { table: string; rowid: number; parent: string }[]
}

/** What differs between engines and is not a query: each engine's folder implements it once. */
export interface EngineParts {
  name: EngineName
  /** How the engine and its protection are named on the status screen and by `tessera status`. */
  describe(): Promise<string>
  schemaVersion(): Promise<number>
  check(): Promise<FileCheck>
  /** Serializes audit appends across every process writing to the database (until the transaction ends). */
  lockAuditChain(tx: Executor): Promise<void>
  /**
   * Hears what other consoles change ('users', 'recovery'), as they commit; returns the function that
   * stops listening. Absent where the engine has no such notice (the file).
   */
  listen?(onChange: (area: string) => void): Promise<() => Promise<void>>
  /**
   * Runs a statement at once, without waiting for a turn on the connection, where the engine can do that
   * safely: on the file's synchronous driver, a read when the caller holds the connection (its own
   * transaction) or nobody does, and a write inside the caller's own transaction (a login step's few
   * statements then cost what SQLite costs, not a trip through the query builder's connection each).
   * Returns undefined where it cannot; the query then goes the usual way.
   */
  runNow?(text: string, parameters: readonly unknown[], inOwnTransaction: boolean): unknown[] | undefined
  /**
   * True where an index on users' id carries the sort columns (name, email, last login), so a page of a
   * small set of users (the locked ones) is best chosen from that index before whole rows are read. On
   * the file a row is found by its rowid at once, and the extra step only costs.
   */
  readonly sortKeysById?: boolean
  /**
   * Runs `work` in one write transaction on the engine's own terms, where that costs less than the query
   * builder's transaction; `tx` runs the builder's queries inside it. On the file: its turn, BEGIN
   * IMMEDIATE and COMMIT (or ROLLBACK when `work` throws) run at once on the synchronous driver, without
   * the builder's per-transaction objects and waits (a tenth of a millisecond of every login step).
   * Absent: the builder's transaction.
   */
  writeTransaction?<T>(work: (tx: Executor) => Promise<T>): Promise<T>
  close(): Promise<void>
}

interface Ambient {
  tx: Executor
  /** False once the transaction has ended: work it started and did not await runs outside it. */
  open: boolean
  /** Work to run once the outermost transaction has committed (see `afterCommit`). */
  after: (() => Promise<unknown>)[]
  /** What the transaction's work keeps for its own later steps (see `kept`). */
  kept: Map<symbol, unknown>
}

/**
 * One open database, whatever the engine. Queries are plain functions taking the store first; they run
 * on `store.q`, which is the transaction the calling code is in (carried by the async context, so a use
 * case does not thread it through every call) or the connection otherwise. A transaction opened inside
 * another joins it: the outer one decides, and a failure anywhere rolls back all of it.
 */
export class Store {
  readonly #ambient = new AsyncLocalStorage<Ambient>()
  #transactionsBegun = 0

  constructor(
    readonly root: Kysely<Schema>,
    readonly engine: EngineParts,
    /** How secrets and personal numbers are kept: as they are in the encrypted file, sealed on a server. */
    readonly seal: Sealer = PLAIN,
  ) {}

  get q(): Executor {
    const a = this.#ambient.getStore()
    return a?.open ? a.tx : this.root
  }

  /** Runs compiled SQL where `q` would, and returns its rows. */
  run<R>(text: string, parameters: readonly unknown[]): Promise<R[]> {
    const a = this.#ambient.getStore()
    const inTransaction = a?.open === true
    let now: unknown[] | undefined
    try {
      now = this.engine.runNow?.(text, parameters, inTransaction)
    } catch (e) {
      return Promise.reject(e as Error)
    }
    if (now) return Promise.resolve(now as R[])
    return (inTransaction ? a.tx : this.root)
      .executeQuery<R>(CompiledQuery.raw(text, parameters as unknown[]))
      .then((r) => r.rows)
  }

  get inTransaction(): boolean {
    return this.#ambient.getStore()?.open === true
  }

  /**
   * How many write transactions this store has begun (joined ones not counted). With synchronous=FULL
   * each commit is an fsync, and on a server each holds the write lock: tests hold a use case to its count.
   */
  get transactionsBegun(): number {
    return this.#transactionsBegun
  }

  /**
   * Runs `fn` in one write transaction: SQLite's BEGIN IMMEDIATE (writers queue for the file's lock
   * instead of failing late), PostgreSQL's READ COMMITTED with the rows it changes locked by its updates.
   */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.inTransaction) return fn()
    this.#transactionsBegun++
    const after: Ambient['after'] = []
    const inAmbient = (tx: Executor) => {
      const ambient: Ambient = { tx, open: true, after, kept: new Map() }
      return this.#ambient.run(ambient, async () => {
        try {
          return await fn()
        } finally {
          ambient.open = false
        }
      })
    }
    const result = this.engine.writeTransaction
      ? await this.engine.writeTransaction(inAmbient)
      : await this.root.transaction().execute(inAmbient)
    for (const work of after) await this.detached(work).catch(() => undefined)
    return result
  }

  /**
   * Runs `work` once the transaction the caller is in has committed (at once when there is none), and
   * before that transaction's caller goes on; never when it rolls back. For what must not happen unless
   * the change it follows is saved, and must not hold the write lock: sending a queued message. Errors
   * are the work's own to handle; they do not reach the transaction's caller.
   */
  async afterCommit(work: () => Promise<unknown>): Promise<void> {
    const a = this.#ambient.getStore()
    if (a?.open) a.after.push(work)
    else await work().catch(() => undefined)
  }

  /**
   * The value kept under `key` by earlier work of the transaction the caller is in (undefined outside a
   * transaction or when none was kept); `keep` replaces it. For what a transaction knows and holds until
   * it ends, such as the audit chain's head once it has locked the chain.
   */
  kept<T>(key: symbol): T | undefined {
    const a = this.#ambient.getStore()
    return a?.open ? (a.kept.get(key) as T | undefined) : undefined
  }

  keep(key: symbol, value: unknown): void {
    const a = this.#ambient.getStore()
    if (a?.open) a.kept.set(key, value)
  }

  /** Runs `fn` outside any transaction the caller is in (work that must not wait for it, or roll back with it). */
  detached<T>(fn: () => T): T {
    return this.#ambient.exit(fn)
  }

  async close(): Promise<void> {
    await this.root.destroy()
    await this.engine.close()
  }
}
