import type Database from 'better-sqlite3-multiple-ciphers'
import { realpathSync } from 'node:fs'
import {
  CompiledQuery,
  Kysely,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely'
import type { Schema } from '../schema'
import { Store, type EngineParts, type FileCheck } from '../store'

type Db = Database.Database

/**
 * One queue per file in this process. SQLite waits for another connection's write lock by blocking the
 * thread, so a second connection to the same file in the same process (a test racing two consoles, the
 * import next to the console) would freeze the event loop that the first one needs to commit. Other
 * processes are queued by SQLite itself (busy timeout).
 */
class FileQueue {
  private tail: Promise<void> = Promise.resolve()
  /** Turns taken or waited for: while there are none, nobody is between two steps of their work. */
  private pending = 0
  private static readonly byFile = new Map<string, { queue: FileQueue; users: number }>()

  static for(file: string): FileQueue {
    let entry = this.byFile.get(file)
    if (!entry) this.byFile.set(file, (entry = { queue: new FileQueue(), users: 0 }))
    entry.users++
    return entry.queue
  }

  static release(file: string): void {
    const entry = this.byFile.get(file)
    if (entry && --entry.users === 0) this.byFile.delete(file)
  }

  /** Waits for the turn; returns the function that ends it. */
  async take(): Promise<() => void> {
    let resolve!: () => void
    const previous = this.tail
    this.tail = new Promise<void>((r) => (resolve = r))
    this.pending++
    await previous
    return () => {
      this.pending--
      resolve()
    }
  }

  get idle(): boolean {
    return this.pending === 0
  }
}

/** Writers take the file's write lock when they begin, so two processes queue instead of one failing. */
class ImmediateSqliteDriver extends SqliteDriver {
  private endTurn: (() => void) | undefined

  constructor(
    config: ConstructorParameters<typeof SqliteDialect>[0],
    private readonly queue: FileQueue,
  ) {
    super(config)
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    // Kysely hands this store's single connection to one user at a time; the queue extends that to
    // every store of the same file in the process.
    this.endTurn = await this.queue.take()
    return super.acquireConnection()
  }

  override async releaseConnection(): Promise<void> {
    const end = this.endTurn
    this.endTurn = undefined
    end?.()
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'))
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await connection.executeQuery(CompiledQuery.raw('rollback'))
    } catch (e) {
      // SQLite has already ended the transaction itself (a full disk or an I/O error at COMMIT rolls it
      // back): nothing is left to undo, and the error that caused it is the one to report.
      if (!/no transaction is active/.test((e as Error).message)) throw e
    }
  }
}

class TesseraSqliteDialect extends SqliteDialect {
  constructor(
    private readonly config: ConstructorParameters<typeof SqliteDialect>[0],
    private readonly queue: FileQueue,
  ) {
    super(config)
  }
  override createDriver(): SqliteDriver {
    return new ImmediateSqliteDriver(this.config, this.queue)
  }
}

/**
 * Refuses a query made through a transaction's builder once that transaction has ended (work it started
 * and did not await), as the builder's own transactions do: it would run outside it, or inside the next.
 */
class EndedTransactionGuard implements KyselyPlugin {
  constructor(private readonly inTransaction: () => boolean) {}

  transformQuery({ node }: PluginTransformQueryArgs): RootOperationNode {
    if (!this.inTransaction()) throw new Error('The transaction this query belongs to has already ended.')
    return node
  }

  transformResult({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(result)
  }
}

/** Rolls back after a failure; SQLite may have ended the transaction itself (see rollbackTransaction). */
function rollback(statements: ReturnType<typeof cachingDatabase>): void {
  try {
    statements.prepare('rollback').run()
  } catch (e) {
    if (!/no transaction is active/.test((e as Error).message)) throw e
  }
}

/**
 * Statements compiled once per connection: compiling costs about as much as running a small query, and
 * the hot paths (a Users page, an import row, an audit append) run the same few again and again.
 */
function cachingDatabase(db: Db) {
  const cache = new Map<string, Database.Statement>()
  return {
    prepare(sql: string) {
      let stmt = cache.get(sql)
      if (!stmt) cache.set(sql, (stmt = db.prepare(sql)))
      return stmt
    },
    close() {
      cache.clear()
      db.close()
    },
  }
}

function sqliteParts(
  db: Db,
  file: string,
  statements: ReturnType<typeof cachingDatabase>,
  queue: FileQueue,
  /** The builder on the connection without taking a turn: for queries inside a transaction that has one. */
  held: Kysely<Schema>,
): EngineParts {
  let closed = false
  return {
    name: 'sqlite',
    describe: () =>
      Promise.resolve(
        `${String(db.pragma('cipher', { simple: true }))} (SQLCipher 4 format, legacy=${String(db.pragma('legacy', { simple: true }))})`,
      ),
    schemaVersion: () => Promise.resolve(db.pragma('user_version', { simple: true }) as number),
    check: (): Promise<FileCheck> =>
      Promise.resolve({
        integrity: (db.pragma('integrity_check') as { integrity_check: string }[]).map(
          (r) => r.integrity_check,
        ),
        foreignKeys: db.pragma('foreign_key_check') as FileCheck['foreignKeys'],
      }),
    // BEGIN IMMEDIATE already holds the file's only write lock for the whole transaction.
    lockAuditChain: () => Promise.resolve(),
    // Here rather than in the builder's driver, which closes only a connection it has opened: write
    // transactions and prepared statements may be all a store ran. A second close is a no-op.
    close: () => {
      statements.close()
      if (!closed) FileQueue.release(file)
      closed = true
      return Promise.resolve()
    },
    // The driver is synchronous: a read that runs to its end before anything else can happen needs no
    // turn when nobody holds one, and the caller's own transaction already holds it (for writes too).
    runNow(text, parameters, inOwnTransaction) {
      if (!inOwnTransaction && !queue.idle) return undefined
      const stmt = statements.prepare(text)
      if (stmt.reader) return stmt.all(parameters) as unknown[]
      if (!inOwnTransaction) return undefined
      stmt.run(parameters)
      return []
    },
    // The turn is the one the builder's connection takes (this file's queue); the statements run at once.
    async writeTransaction(work) {
      const endTurn = await queue.take()
      try {
        statements.prepare('begin immediate').run()
        try {
          const result = await work(held)
          statements.prepare('commit').run()
          return result
        } catch (e) {
          rollback(statements)
          throw e
        }
      } finally {
        endTurn()
      }
    },
  }
}

/** A store over an open, keyed and migrated SQLCipher file; closing the store closes the file. */
export function sqliteStore(db: Db): Store {
  const file = realpathSync(db.name)
  const queue = FileQueue.for(file)
  const statements = cachingDatabase(db)
  const root = new Kysely<Schema>({
    dialect: new TesseraSqliteDialect({ database: statements }, queue),
  })
  // The guard asks the store, made just below, whether the caller's transaction is still open.
  const held: Kysely<Schema> = new Kysely<Schema>({
    dialect: new SqliteDialect({ database: statements }),
    plugins: [new EndedTransactionGuard((): boolean => store.inTransaction)],
  })
  const store: Store = new Store(root, sqliteParts(db, file, statements, queue, held))
  return store
}
