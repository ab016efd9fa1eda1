import type { Db } from '../connection'

/** The schema version the file is at (its migrations' user_version). */
export const schemaVersion = (db: Db): number => db.pragma('user_version', { simple: true }) as number

/** The cipher in force, as the status screen and `tessera status` name it. */
export const cipherDescription = (db: Db): string =>
  `${String(db.pragma('cipher', { simple: true }))} (SQLCipher 4 format, legacy=${String(db.pragma('legacy', { simple: true }))})`

/** SQLite's integrity check: ['ok'] when the file is sound, else up to SQLite's list of problems. */
export const integrityProblems = (db: Db): string[] =>
  (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check)

/** Rows whose foreign key points at nothing. */
export const foreignKeyViolations = (db: Db): { table: string; rowid: number; parent: string }[] =>
  db.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[]
