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
