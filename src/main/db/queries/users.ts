import type { Role } from '../../../shared/schemas'
import type { Db } from '../connection'

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
  return db.prepare('SELECT count(*) FROM users').pluck().get() as number
}

export function findUserByEmail(db: Db, email: string): UserRow | undefined {
  return db.prepare('SELECT * FROM users WHERE email = ?').get(email) as UserRow | undefined
}

export function findUserById(db: Db, id: number): UserRow | undefined {
  return db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined
}

export function insertUser(
  db: Db,
  u: Pick<UserRow, 'email' | 'name' | 'role' | 'status' | 'password_hash'> & {
    now: number
    require_2fa?: 0 | 1
  },
): number {
  const info = db
    .prepare(
      `INSERT INTO users (email, name, role, status, password_hash, require_2fa, created_at, updated_at)
       VALUES (@email, @name, @role, @status, @password_hash, @require_2fa, @now, @now)`,
    )
    .run({ require_2fa: 0, ...u })
  return Number(info.lastInsertRowid)
}

export function recordLogin(db: Db, id: number, now: number): void {
  db.prepare('UPDATE users SET last_login_at = ? WHERE id = ?').run(now, id)
}

export function activateUser(db: Db, id: number, passwordHash: string, now: number): void {
  db.prepare(
    "UPDATE users SET password_hash = ?, status = 'active', updated_at = ? WHERE id = ? AND status = 'invited'",
  ).run(passwordHash, now, id)
}

export function setRequire2fa(db: Db, id: number, required: boolean, now: number): void {
  db.prepare(
    `UPDATE users SET require_2fa = @r, require_2fa_since = CASE WHEN @r = 1 THEN coalesce(require_2fa_since, @now) END,
       updated_at = @now WHERE id = @id`,
  ).run({ r: required ? 1 : 0, now, id })
}

export function setStatus(db: Db, id: number, status: 'active' | 'disabled', now: number): void {
  db.prepare('UPDATE users SET status = ?, updated_at = ? WHERE id = ?').run(status, now, id)
}

export function setRole(db: Db, id: number, role: Role, now: number): void {
  db.prepare('UPDATE users SET role = ?, updated_at = ? WHERE id = ?').run(role, now, id)
}

export function deleteUser(db: Db, id: number): void {
  db.prepare('DELETE FROM users WHERE id = ?').run(id)
}

export function countActiveOwners(db: Db): number {
  return db
    .prepare("SELECT count(*) FROM users WHERE role = 'owner' AND status = 'active'")
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
  db.prepare(
    `INSERT INTO invitations (user_id, code_hash, created_at, expires_at, created_by) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (user_id) DO UPDATE SET code_hash = excluded.code_hash, created_at = excluded.created_at,
       expires_at = excluded.expires_at, created_by = excluded.created_by`,
  ).run(userId, codeHash, now, expiresAt, by)
}

export function getInvitation(db: Db, userId: number): InvitationRow | undefined {
  return db
    .prepare('SELECT user_id, code_hash, created_at, expires_at FROM invitations WHERE user_id = ?')
    .get(userId) as InvitationRow | undefined
}

export function deleteInvitation(db: Db, userId: number): boolean {
  return db.prepare('DELETE FROM invitations WHERE user_id = ?').run(userId).changes === 1
}
