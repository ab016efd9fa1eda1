import { AppError } from '../../shared/result'

/** Why a database could not be created or opened. Each maps to its own CLI exit code. */
export const dbFailureReasons = [
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'WRONG_KEY',
  'KEY_MISSING',
  'KEYCHAIN_UNAVAILABLE',
  'PASSPHRASE_REQUIRED',
  'NOT_TESSERA',
  'CORRUPT',
  'TOO_NEW',
  'DB_REFUSED',
  'DB_AUTH_FAILED',
  'DB_MISSING',
  'DB_TLS_REQUIRED',
  'NOT_EMPTY',
  'TEAM_KEY_REQUIRED',
  'READ_ONLY',
] as const
export type DbFailureReason = (typeof dbFailureReasons)[number]

export class DatabaseOpenError extends AppError {
  constructor(
    readonly reason: DbFailureReason,
    message: string,
  ) {
    super('DATABASE', message)
    this.name = 'DatabaseOpenError'
  }
}

/** Why a write to an open database failed in a way people can fix: the disk, not Tessera. */
export type StorageFault = 'DISK_FULL' | 'READ_ONLY' | 'IO_ERROR'

const STORAGE_MESSAGES: Record<StorageFault, string> = {
  DISK_FULL:
    'The disk that holds the database is full: nothing of this action was saved. Free some space, then try again.',
  READ_ONLY:
    'The database cannot be written (its file, its folder or its disk became read-only): nothing of this action was saved. Make it writable again, then try again.',
  IO_ERROR:
    'The disk refused to write the database (an I/O error): nothing of this action was saved. Check the disk, then try again.',
}

/** A write the storage refused. The transaction it ended was rolled back whole. */
export class StorageError extends AppError {
  constructor(readonly fault: StorageFault) {
    super('DATABASE', STORAGE_MESSAGES[fault])
    this.name = 'StorageError'
  }
}

/**
 * The storage fault behind an engine error, if it is one: SQLite's FULL, READONLY and IOERR result codes
 * (extended codes included), PostgreSQL's disk_full and read_only_sql_transaction, and the file system's
 * own ENOSPC / EROFS.
 */
export function storageFault(e: unknown): StorageError | undefined {
  if (e instanceof StorageError) return e
  const code = String((e as { code?: unknown } | null)?.code ?? '')
  if (code === 'SQLITE_FULL' || code === '53100' || code === 'ENOSPC') return new StorageError('DISK_FULL')
  if (code.startsWith('SQLITE_READONLY') || code === '25006' || code === 'EROFS')
    return new StorageError('READ_ONLY')
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO') return new StorageError('IO_ERROR')
  return undefined
}
