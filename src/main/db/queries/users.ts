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
  /** Who created the account (null: the first owner, or someone since deleted). */
  created_by: number | null
  /** When the newest invitation was issued. */
  invited_at: number | null
  activated_at: number | null
  /** An authenticator was revoked (SMS login, access code, admin reset): only enrollment is allowed. */
  must_enroll: 0 | 1
  /** An admin or owner role held until `demoted_at` (the two-person rule still applies for 7 days). */
  former_role: 'admin' | 'owner' | null
  demoted_at: number | null
}

export function countUsers(db: Db): number {
  return prepared(db, 'SELECT count(*) FROM users').pluck().get() as number
}

export function findUserByEmail(db: Db, email: string): UserRow | undefined {
  return prepared(db, 'SELECT * FROM users WHERE email = ?').get(email) as UserRow | undefined
}

/** What a session follows on every call: the person's name, role and status, and "must enroll". */
export function sessionFactsOf(
  db: Db,
  id: number,
): Pick<UserRow, 'id' | 'email' | 'name' | 'role' | 'status' | 'must_enroll'> | undefined {
  return prepared(db, 'SELECT id, email, name, role, status, must_enroll FROM users WHERE id = ?').get(id) as
    Pick<UserRow, 'id' | 'email' | 'name' | 'role' | 'status' | 'must_enroll'> | undefined
}

export function findUserById(db: Db, id: number): UserRow | undefined {
  return prepared(db, 'SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined
}

export function insertUser(
  db: Db,
  u: Pick<UserRow, 'email' | 'name' | 'role' | 'status' | 'password_hash'> & {
    now: number
    require_2fa?: 0 | 1
    created_by?: number | null
  },
): number {
  const info = prepared(
    db,
    `INSERT INTO users (email, name, role, status, password_hash, require_2fa, created_at, updated_at,
                        created_by, invited_at, activated_at)
       VALUES (@email, @name, @role, @status, @password_hash, @require_2fa, @now, @now, @created_by,
               CASE WHEN @status = 'invited' THEN @now END, CASE WHEN @status = 'active' THEN @now END)`,
  ).run({ require_2fa: 0, created_by: null, ...u })
  return Number(info.lastInsertRowid)
}

export function recordLogin(db: Db, id: number, now: number): void {
  prepared(db, 'UPDATE users SET last_login_at = ? WHERE id = ?').run(now, id)
}

export function activateUser(db: Db, id: number, passwordHash: string, now: number): void {
  prepared(
    db,
    `UPDATE users SET password_hash = @passwordHash, status = 'active', updated_at = @now, activated_at = @now
     WHERE id = @id AND status = 'invited'`,
  ).run({ passwordHash, now, id })
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

/**
 * A new role. Leaving admin or owner for a lower role keeps the highest such role and the time, so the
 * two-person rule can still apply to the account for a while.
 */
export function setRole(db: Db, id: number, role: Role, now: number): void {
  prepared(
    db,
    `UPDATE users SET
       former_role = CASE
         WHEN role IN ('admin', 'owner') AND @role NOT IN ('admin', 'owner') OR (role = 'owner' AND @role = 'admin')
         THEN CASE WHEN former_role = 'owner' AND demoted_at > @now - 604800000 THEN 'owner' ELSE role END
         ELSE former_role END,
       demoted_at = CASE
         WHEN role IN ('admin', 'owner') AND @role NOT IN ('admin', 'owner') OR (role = 'owner' AND @role = 'admin')
         THEN @now ELSE demoted_at END,
       role = @role, updated_at = @now
     WHERE id = @id`,
  ).run({ role, now, id })
}

/** Set when an authenticator is revoked, cleared when a new one is confirmed. */
export function setMustEnroll(db: Db, id: number, mustEnroll: boolean): void {
  prepared(db, 'UPDATE users SET must_enroll = ? WHERE id = ?').run(mustEnroll ? 1 : 0, id)
}

/** A new invitation was issued. */
export function markInvited(db: Db, id: number, now: number): void {
  prepared(db, 'UPDATE users SET invited_at = ? WHERE id = ?').run(now, id)
}

export function listActiveOwners(db: Db): UserRow[] {
  return prepared(
    db,
    "SELECT * FROM users WHERE role = 'owner' AND status = 'active' ORDER BY id",
  ).all() as UserRow[]
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
  by: number | null,
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
