import type { Role } from '../../../shared/schemas'
import { prepared, type Db } from '../connection'

export interface UserRow {
  id: number
  email: string
  name: string
  role: Role
  status: 'invited' | 'active' | 'disabled'
  password_hash: string | null
  created_at: number
  updated_at: number
  last_login_at: number | null
  require_2fa: 0 | 1
  require_2fa_since: number | null
}

export function countUsers(db: Db): number {
  return prepared(db, 'SELECT count(*) FROM users').pluck().get() as number
}

export function findUserByEmail(db: Db, email: string): UserRow | undefined {
  return prepared(db, 'SELECT * FROM users WHERE email = ?').get(email) as UserRow | undefined
}

export function findUserById(db: Db, id: number): UserRow | undefined {
  return prepared(db, 'SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined
}

export function insertUser(
  db: Db,
  u: Pick<UserRow, 'email' | 'name' | 'role' | 'status' | 'password_hash'> & {
    now: number
    require_2fa?: 0 | 1
  },
): number {
  const info = prepared(
    db,
    `INSERT INTO users (email, name, role, status, password_hash, require_2fa, created_at, updated_at)
       VALUES (@email, @name, @role, @status, @password_hash, @require_2fa, @now, @now)`,
  ).run({ require_2fa: 0, ...u })
  return Number(info.lastInsertRowid)
}

export function recordLogin(db: Db, id: number, now: number): void {
  prepared(db, 'UPDATE users SET last_login_at = ? WHERE id = ?').run(now, id)
}

export function activateUser(db: Db, id: number, passwordHash: string, now: number): void {
  prepared(
    db,
    "UPDATE users SET password_hash = ?, status = 'active', updated_at = ? WHERE id = ? AND status = 'invited'",
  ).run(passwordHash, now, id)
}

export function setRequire2fa(db: Db, id: number, required: boolean, now: number): void {
  prepared(
    db,
    `UPDATE users SET require_2fa = @r, require_2fa_since = CASE WHEN @r = 1 THEN coalesce(require_2fa_since, @now) END,
       updated_at = @now WHERE id = @id`,
  ).run({ r: required ? 1 : 0, now, id })
}

export function setStatus(db: Db, id: number, status: 'active' | 'disabled', now: number): void {
  prepared(db, 'UPDATE users SET status = ?, updated_at = ? WHERE id = ?').run(status, now, id)
}

export function setRole(db: Db, id: number, role: Role, now: number): void {
  prepared(db, 'UPDATE users SET role = ?, updated_at = ? WHERE id = ?').run(role, now, id)
}

export function deleteUser(db: Db, id: number): void {
  prepared(db, 'DELETE FROM users WHERE id = ?').run(id)
}

export function countActiveOwners(db: Db): number {
  return prepared(db, "SELECT count(*) FROM users WHERE role = 'owner' AND status = 'active'")
    .pluck()
    .get() as number
}

export interface InvitationRow {
  user_id: number
  code_hash: string
  created_at: number
  expires_at: number
}

export function putInvitation(
  db: Db,
  userId: number,
  codeHash: string,
  now: number,
  expiresAt: number,
  by: number,
): void {
  prepared(
    db,
    `INSERT INTO invitations (user_id, code_hash, created_at, expires_at, created_by) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (user_id) DO UPDATE SET code_hash = excluded.code_hash, created_at = excluded.created_at,
       expires_at = excluded.expires_at, created_by = excluded.created_by`,
  ).run(userId, codeHash, now, expiresAt, by)
}

export function getInvitation(db: Db, userId: number): InvitationRow | undefined {
  return prepared(
    db,
    'SELECT user_id, code_hash, created_at, expires_at FROM invitations WHERE user_id = ?',
  ).get(userId) as InvitationRow | undefined
}

export function deleteInvitation(db: Db, userId: number): boolean {
  return prepared(db, 'DELETE FROM invitations WHERE user_id = ?').run(userId).changes === 1
}

/** The active owner the CLI acts as (the lowest id), preferring one other than `exceptId`. */
export function firstActiveOwner(db: Db, exceptId?: number): UserRow | undefined {
  return prepared(
    db,
    `SELECT * FROM users WHERE role = 'owner' AND status = 'active'
       ORDER BY id = @exceptId, id LIMIT 1`,
  ).get({ exceptId: exceptId ?? null }) as UserRow | undefined
}

export interface UserExportRow {
  email: string
  name: string
  role: Role
  status: UserRow['status']
  twofa_state: 'enrolled' | 'required' | 'off'
  backup_codes_left: number
  last_login_at: number | null
}

/** Every user for a CSV export, by email, streamed so 100,000 rows never sit in memory at once. */
export function iterateUsersForExport(db: Db): IterableIterator<UserExportRow> {
  return db
    .prepare(
      `SELECT email, name, role, status, twofa_state, backup_codes_left, last_login_at FROM users
       ORDER BY email`,
    )
    .iterate() as IterableIterator<UserExportRow>
}
