import { prepared, type Db } from '../connection'

export interface TotpRow {
  secret: Buffer
  algorithm: 'sha1' | 'sha256' | 'sha512'
  digits: 6 | 7 | 8
  period: number
  enrolled_at: number
  last_step: number | null
}

export function getTotp(db: Db, userId: number): TotpRow | undefined {
  return prepared(
    db,
    'SELECT secret, algorithm, digits, period, enrolled_at, last_step FROM totp_credentials WHERE user_id = ?',
  ).get(userId) as TotpRow | undefined
}

export function insertTotp(
  db: Db,
  userId: number,
  secret: Uint8Array,
  enrolledAt: number,
  lastStep: number,
): void {
  prepared(
    db,
    'INSERT INTO totp_credentials (user_id, secret, enrolled_at, last_step) VALUES (?, ?, ?, ?)',
  ).run(userId, Buffer.from(secret), enrolledAt, lastStep)
}

/** Moves the replay guard forward; false when another login already used this step or a later one. */
export function advanceTotpStep(db: Db, userId: number, step: number): boolean {
  return (
    prepared(
      db,
      'UPDATE totp_credentials SET last_step = ? WHERE user_id = ? AND (last_step IS NULL OR last_step < ?)',
    ).run(step, userId, step).changes === 1
  )
}

export function deleteTotp(db: Db, userId: number): boolean {
  return prepared(db, 'DELETE FROM totp_credentials WHERE user_id = ?').run(userId).changes === 1
}

export interface PendingRow {
  secret: Buffer
  started_at: number
  expires_at: number
}

export function putPendingTotp(
  db: Db,
  userId: number,
  secret: Uint8Array,
  now: number,
  expiresAt: number,
): void {
  prepared(
    db,
    `INSERT INTO totp_pending (user_id, secret, started_at, expires_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, started_at = excluded.started_at, expires_at = excluded.expires_at`,
  ).run(userId, Buffer.from(secret), now, expiresAt)
}

export function getPendingTotp(db: Db, userId: number): PendingRow | undefined {
  return prepared(db, 'SELECT secret, started_at, expires_at FROM totp_pending WHERE user_id = ?').get(
    userId,
  ) as PendingRow | undefined
}

export function deletePendingTotp(db: Db, userId: number): boolean {
  return prepared(db, 'DELETE FROM totp_pending WHERE user_id = ?').run(userId).changes === 1
}

export interface BackupSlotRow {
  slot: number
  code_hash: string
  created_at: number
  used_at: number | null
  used_machine: string | null
}

export function backupSlots(db: Db, userId: number): BackupSlotRow[] {
  return prepared(
    db,
    'SELECT slot, code_hash, created_at, used_at, used_machine FROM backup_codes WHERE user_id = ? ORDER BY slot',
  ).all(userId) as BackupSlotRow[]
}

export function replaceBackupCodes(db: Db, userId: number, hashes: readonly string[], now: number): void {
  prepared(db, 'DELETE FROM backup_codes WHERE user_id = ?').run(userId)
  const insert = prepared(
    db,
    'INSERT INTO backup_codes (user_id, slot, code_hash, created_at) VALUES (?, ?, ?, ?)',
  )
  hashes.forEach((h, i) => insert.run(userId, i + 1, h, now))
}

/** Spends a slot once: the `used_at IS NULL` guard makes a second, racing spend change nothing. */
export function spendBackupCode(db: Db, userId: number, slot: number, now: number, machine: string): boolean {
  return (
    prepared(
      db,
      'UPDATE backup_codes SET used_at = ?, used_machine = ? WHERE user_id = ? AND slot = ? AND used_at IS NULL',
    ).run(now, machine, userId, slot).changes === 1
  )
}

export function deleteBackupCodes(db: Db, userId: number): void {
  prepared(db, 'DELETE FROM backup_codes WHERE user_id = ?').run(userId)
}
