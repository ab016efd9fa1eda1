import type Database from 'better-sqlite3-multiple-ciphers'
import {
  accessSync,
  chmodSync,
  closeSync,
  constants,
  existsSync,
  openSync,
  readSync,
  statfsSync,
  statSync,
} from 'node:fs'
import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import { DatabaseOpenError, StorageError, storageFault } from './errors'
import { LATEST_SCHEMA_VERSION, migrate } from './migrations'

export type Db = Database.Database

let driver: typeof Database | undefined

/**
 * The SQLite driver, loaded with require() when the first file is opened rather than imported: an ESM
 * import of this CommonJS package makes Node scan its source for export names at every start.
 */
function sqlite(): typeof Database {
  return (driver ??= createRequire(import.meta.url)('better-sqlite3-multiple-ciphers') as typeof Database)
}

/** 'TESS' — marks a file as ours once it decrypts. */
export const TESSERA_APPLICATION_ID = 0x54455353

export interface ConnectionOptions {
  /** Path of the native addon when it is not the one in node_modules (Electron's ABI build). */
  nativeBinding?: string
  /** Milliseconds to wait for another process's write lock (the CLI and the app share the file). */
  busyTimeoutMs?: number
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1')

function readHeader(path: string): Buffer {
  const fd = openSync(path, 'r')
  try {
    const buf = Buffer.alloc(16)
    const n = readSync(fd, buf, 0, 16, 0)
    return buf.subarray(0, n)
  } finally {
    closeSync(fd)
  }
}

/** The cipher pragmas go before the key on every open (SQLCipher 4 format); the key is raw hex. */
function applyKey(db: Db, key: Buffer): void {
  db.pragma(`cipher='sqlcipher'`)
  db.pragma('legacy=4')
  db.pragma(`key="x'${key.toString('hex')}'"`)
}

function applyConnectionPragmas(db: Db): void {
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.pragma('foreign_keys = ON')
  // ~64 MiB of page cache keeps the hot tables decrypted in memory.
  db.pragma('cache_size = -65536')
  db.pragma('temp_store = MEMORY')
  // What is deleted or blanked (a sent SMS's code, a spent secret) is overwritten, not left in free pages.
  db.pragma('secure_delete = ON')
}

/**
 * Opens an existing database file with a key already checked against the key information file.
 * Every check runs before anything is written, so a failed open leaves the file untouched.
 */
export function openEncrypted(path: string, key: Buffer, options: ConnectionOptions = {}): Db {
  if (!existsSync(path)) throw new DatabaseOpenError('NOT_FOUND', `No database at ${path}.`)
  if (statSync(path).size === 0) {
    throw new DatabaseOpenError('NOT_TESSERA', `${path} is empty: it is not a Tessera database.`)
  }
  if (readHeader(path).equals(SQLITE_HEADER)) {
    throw new DatabaseOpenError(
      'NOT_TESSERA',
      `${path} is an unencrypted SQLite database, not a Tessera database.`,
    )
  }
  assertWritable(path)
  tightenModes(path)
  // Loaded outside the try below: a driver that fails to load is not a damaged file.
  const Driver = sqlite()
  let db: Db
  try {
    db = new Driver(path, {
      fileMustExist: true,
      timeout: options.busyTimeoutMs ?? 5000,
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    })
  } catch (e) {
    throw (
      storageFault(e) ?? new DatabaseOpenError('CORRUPT', `${path} cannot be opened: ${(e as Error).message}`)
    )
  }
  try {
    applyKey(db, key)
    readSchemaGuards(db, path)
    applyConnectionPragmas(db)
    migrate(db)
    return db
  } catch (e) {
    db.close()
    throw e
  }
}

function readSchemaGuards(db: Db, path: string): void {
  let applicationId: number
  let userVersion: number
  try {
    db.prepare('SELECT count(*) FROM sqlite_master').pluck().get()
    applicationId = db.pragma('application_id', { simple: true }) as number
    userVersion = db.pragma('user_version', { simple: true }) as number
  } catch (e) {
    // A full disk (SQLite writes its journal files on the first read) is not damage.
    const storage = openFault(e, path)
    if (storage) throw storage
    // The key was already checked against the key information file, so a file that still does not
    // decrypt is damaged (or was replaced by another file).
    const code = (e as { code?: string }).code ?? ''
    throw new DatabaseOpenError(
      'CORRUPT',
      `${path} does not decrypt with its own key: the file is damaged or is not the database its key file belongs to (${code || (e as Error).message}).`,
    )
  }
  if (applicationId !== TESSERA_APPLICATION_ID) {
    throw new DatabaseOpenError('NOT_TESSERA', `${path} is an SQLite database but not a Tessera database.`)
  }
  if (userVersion > LATEST_SCHEMA_VERSION) {
    throw new DatabaseOpenError(
      'TOO_NEW',
      `${path} was written by a newer version of Tessera (schema ${userVersion}); this version understands schema ${LATEST_SCHEMA_VERSION} at most. Update Tessera to open it.`,
    )
  }
}

/**
 * The database, its WAL and SHM are readable by their owner only. SQLite gives the WAL and SHM the
 * database file's mode, so the file is created first, exclusively (never through a symlink), mode 600;
 * a database from before that rule is tightened when it is opened.
 */
const PRIVATE_FILES = (path: string) => [path, `${path}-wal`, `${path}-shm`]

function createPrivateFile(path: string): void {
  closeSync(
    openSync(path, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | constants.O_NOFOLLOW, 0o600),
  )
}

/**
 * A storage fault while opening. SQLite reports a full disk as an I/O error when it cannot create its
 * shared-memory file, so an I/O error on a file system without a free block is called what it is.
 */
function openFault(e: unknown, path: string): StorageError | undefined {
  const fault = storageFault(e)
  if (fault?.fault !== 'IO_ERROR') return fault
  try {
    if (statfsSync(dirname(path)).bavail === 0) return new StorageError('DISK_FULL')
  } catch {
    // Not knowing the free space changes nothing: an I/O error it stays.
  }
  return fault
}

/**
 * The file and its folder must be writable: SQLite keeps its write-ahead log beside the file, and a
 * database opened where it cannot write fails later and less clearly.
 */
function assertWritable(path: string): void {
  for (const target of [path, dirname(path)]) {
    try {
      accessSync(target, constants.W_OK)
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? ''
      if (code !== 'EROFS' && code !== 'EACCES' && code !== 'EPERM') throw e
      throw new DatabaseOpenError(
        'READ_ONLY',
        `${path} cannot be written: ${target === path ? 'the file' : 'its folder'} is read-only${code === 'EROFS' ? ' (a read-only disk)' : ''}. Tessera writes to the file and, for its journal, to its folder: make them writable, then open it again.`,
      )
    }
  }
}

function tightenModes(path: string): void {
  for (const f of PRIVATE_FILES(path)) {
    try {
      if ((statSync(f).mode & 0o077) !== 0) chmodSync(f, 0o600)
    } catch {
      // Not there (no WAL yet) or not ours to change: opening goes on.
    }
  }
}

/** Creates a new, empty, migrated database. The caller guarantees the path does not exist. */
export function createEncrypted(path: string, key: Buffer, options: ConnectionOptions = {}): Db {
  const Driver = sqlite()
  createPrivateFile(path)
  const db = new Driver(path, {
    timeout: options.busyTimeoutMs ?? 5000,
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
  })
  try {
    applyKey(db, key)
    db.pragma(`application_id = ${TESSERA_APPLICATION_ID}`)
    applyConnectionPragmas(db)
    migrate(db)
    return db
  } catch (e) {
    db.close()
    throw e
  }
}

/** Runs `fn` in a BEGIN IMMEDIATE transaction, so concurrent writers queue instead of failing late. */
export function inTransaction<T>(db: Db, fn: () => T): T {
  return db.transaction(fn).immediate()
}

const statementCache = new WeakMap<Db, Map<string, Database.Statement>>()

/**
 * A statement compiled once per connection. Compiling costs about as much as running a small query, so
 * the hot paths (a Users page, an import row, an audit append) reuse theirs. Not for `iterate()`: a
 * statement being iterated cannot run again until the iteration ends.
 */
export function prepared(db: Db, sql: string): Database.Statement {
  let cache = statementCache.get(db)
  if (!cache) statementCache.set(db, (cache = new Map()))
  let stmt = cache.get(sql)
  if (!stmt) cache.set(sql, (stmt = db.prepare(sql)))
  return stmt
}
