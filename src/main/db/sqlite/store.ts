import type Database from 'better-sqlite3-multiple-ciphers'
import { CompiledQuery, Kysely, SqliteDialect, SqliteDriver, type DatabaseConnection } from 'kysely'
import type { Schema } from '../schema'
import { Store, type EngineParts, type FileCheck } from '../store'

type Db = Database.Database

/** Writers take the file's write lock when they begin, so two processes queue instead of one failing. */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'))
  }
}

class TesseraSqliteDialect extends SqliteDialect {
  constructor(private readonly config: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(config)
  }
  override createDriver(): SqliteDriver {
    return new ImmediateSqliteDriver(this.config)
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

function sqliteParts(db: Db): EngineParts {
  return {
    name: 'sqlite',
    describe: () =>
      Promise.resolve(
        `SQLite, ${String(db.pragma('cipher', { simple: true }))} (SQLCipher 4 format, legacy=${String(db.pragma('legacy', { simple: true }))})`,
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
    close: () => Promise.resolve(),
  }
}

/** A store over an open, keyed and migrated SQLCipher file; closing the store closes the file. */
export function sqliteStore(db: Db): Store {
  const root = new Kysely<Schema>({ dialect: new TesseraSqliteDialect({ database: cachingDatabase(db) }) })
  return new Store(root, sqliteParts(db))
}
