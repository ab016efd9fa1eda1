import type { RecoveryStatus, Role } from '../../../shared/schemas'
import { prepared, type Db } from '../connection'
import type { AuditRow } from './audit'

export interface RecoveryRow {
  id: number
  user_id: number
  status: RecoveryStatus
  message: string
  contact: string
  created_at: number
  updated_at: number
  expires_at: number
  approved_at: number | null
  effective_at: number | null
  decided_by: number | null
  denied_reason: string | null
  completed_at: number | null
  /** 'lost_device': filed by the person after the password; 'admin_reset': an admin asked to reset their 2FA. */
  kind: 'lost_device' | 'admin_reset'
  filed_by: number | null
}

/** A request with its person and the counts the queue shows. */
export interface RecoveryListRow extends RecoveryRow {
  email: string
  name: string
  role: Role
  former_role: 'admin' | 'owner' | null
  demoted_at: number | null
  check_count: number
  approvals: number
}

export interface AccessCodeRow {
  id: number
  request_id: number
  user_id: number
  code_hash: string
  delivery: 'sms' | 'agent'
  issued_by: number | null
  created_at: number
  expires_at: number
  used_at: number | null
  revoked_at: number | null
}

const LIVE = "('open', 'verifying', 'approved')"

export function insertRecoveryRequest(
  db: Db,
  r: {
    userId: number
    message: string
    contact: string
    now: number
    expiresAt: number
    kind?: RecoveryRow['kind']
    filedBy?: number | null
  },
): number {
  return Number(
    prepared(
      db,
      `INSERT INTO recovery_requests (user_id, status, message, contact, created_at, updated_at, expires_at, kind, filed_by)
       VALUES (@userId, 'open', @message, @contact, @now, @now, @expiresAt, @kind, @filedBy)`,
    ).run({ kind: 'lost_device', filedBy: r.userId, ...r }).lastInsertRowid,
  )
}

export function getRecoveryRequest(db: Db, id: number): RecoveryRow | undefined {
  return prepared(db, 'SELECT * FROM recovery_requests WHERE id = ?').get(id) as RecoveryRow | undefined
}

export function liveRequestOf(db: Db, userId: number): RecoveryRow | undefined {
  return prepared(db, `SELECT * FROM recovery_requests WHERE user_id = ? AND status IN ${LIVE}`).get(
    userId,
  ) as RecoveryRow | undefined
}

/** Live requests past their expiry: the sweep marks them expired. */
export function dueToExpire(db: Db, now: number): RecoveryRow[] {
  return prepared(db, `SELECT * FROM recovery_requests WHERE status IN ${LIVE} AND expires_at <= ?`).all(
    now,
  ) as RecoveryRow[]
}

export function setRecoveryStatus(
  db: Db,
  id: number,
  from: readonly RecoveryStatus[],
  to: RecoveryStatus,
  now: number,
  extra: { decidedBy?: number; deniedReason?: string; completedAt?: number } = {},
): boolean {
  const placeholders = from.map(() => '?').join(', ')
  return (
    prepared(
      db,
      `UPDATE recovery_requests SET status = ?, updated_at = ?,
         decided_by = coalesce(?, decided_by), denied_reason = coalesce(?, denied_reason),
         completed_at = coalesce(?, completed_at)
       WHERE id = ? AND status IN (${placeholders})`,
    ).run(
      to,
      now,
      extra.decidedBy ?? null,
      extra.deniedReason ?? null,
      extra.completedAt ?? null,
      id,
      ...from,
    ).changes === 1
  )
}

export function markApproved(
  db: Db,
  id: number,
  r: { now: number; effectiveAt: number; expiresAt: number; decidedBy: number },
): boolean {
  return (
    prepared(
      db,
      `UPDATE recovery_requests SET status = 'approved', approved_at = @now, effective_at = @effectiveAt,
         expires_at = max(expires_at, @expiresAt), decided_by = @decidedBy, updated_at = @now
       WHERE id = @id AND status = 'verifying'`,
    ).run({ id, ...r }).changes === 1
  )
}

export function extendRecoveryExpiry(db: Db, id: number, expiresAt: number): void {
  prepared(db, 'UPDATE recovery_requests SET expires_at = max(expires_at, ?) WHERE id = ?').run(expiresAt, id)
}

export function touchRecoveryRequest(db: Db, id: number, now: number): void {
  prepared(db, 'UPDATE recovery_requests SET updated_at = ? WHERE id = ?').run(now, id)
}

const LIST_COLUMNS = `r.*, u.email, u.name, u.role, u.former_role, u.demoted_at,
  (SELECT count(*) FROM recovery_checks c WHERE c.request_id = r.id) AS check_count,
  (SELECT count(*) FROM recovery_approvals a WHERE a.request_id = r.id) AS approvals`

/** Newest first, keyset-paginated on id; `statuses` null = every status. */
export function listRecoveryRequests(
  db: Db,
  statuses: readonly RecoveryStatus[] | null,
  before: number | undefined,
  limit: number,
): RecoveryListRow[] {
  const where = statuses ? `AND r.status IN (${statuses.map(() => '?').join(', ')})` : ''
  return prepared(
    db,
    `SELECT ${LIST_COLUMNS} FROM recovery_requests r JOIN users u ON u.id = r.user_id
       WHERE r.id < ? ${where} ORDER BY r.id DESC LIMIT ?`,
  ).all(before ?? Number.MAX_SAFE_INTEGER, ...(statuses ?? []), limit) as RecoveryListRow[]
}

export function getRecoveryListRow(db: Db, id: number): RecoveryListRow | undefined {
  return prepared(
    db,
    `SELECT ${LIST_COLUMNS} FROM recovery_requests r JOIN users u ON u.id = r.user_id WHERE r.id = ?`,
  ).get(id) as RecoveryListRow | undefined
}

export function countLiveRecoveryRequests(db: Db): number {
  return prepared(db, `SELECT count(*) FROM recovery_requests WHERE status IN ${LIVE}`)
    .pluck()
    .get() as number
}

/** Records checks not yet recorded; returns the ones that were new. */
export function addRecoveryChecks(
  db: Db,
  requestId: number,
  checks: readonly string[],
  agentId: number,
  now: number,
): string[] {
  const insert = prepared(
    db,
    `INSERT INTO recovery_checks (request_id, check_key, agent_id, created_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (request_id, check_key) DO NOTHING`,
  )
  return checks.filter((c) => insert.run(requestId, c, agentId, now).changes === 1)
}

export function recoveryChecksOf(
  db: Db,
  requestId: number,
): { check_key: string; agent_id: number | null; created_at: number }[] {
  return prepared(
    db,
    'SELECT check_key, agent_id, created_at FROM recovery_checks WHERE request_id = ? ORDER BY created_at, rowid',
  ).all(requestId) as { check_key: string; agent_id: number | null; created_at: number }[]
}

export function addRecoveryNote(db: Db, requestId: number, agentId: number, body: string, now: number): void {
  prepared(db, 'INSERT INTO recovery_notes (request_id, agent_id, body, created_at) VALUES (?, ?, ?, ?)').run(
    requestId,
    agentId,
    body,
    now,
  )
}

export function recoveryNotesOf(
  db: Db,
  requestId: number,
): { agent_id: number | null; body: string; created_at: number }[] {
  return prepared(
    db,
    'SELECT agent_id, body, created_at FROM recovery_notes WHERE request_id = ? ORDER BY id',
  ).all(requestId) as { agent_id: number | null; body: string; created_at: number }[]
}

export function addRecoveryApproval(db: Db, requestId: number, agentId: number, now: number): boolean {
  return (
    prepared(
      db,
      `INSERT INTO recovery_approvals (request_id, agent_id, created_at) VALUES (?, ?, ?)
       ON CONFLICT (request_id, agent_id) DO NOTHING`,
    ).run(requestId, agentId, now).changes === 1
  )
}

export function recoveryApprovalsOf(db: Db, requestId: number): { agent_id: number; created_at: number }[] {
  return prepared(
    db,
    'SELECT agent_id, created_at FROM recovery_approvals WHERE request_id = ? ORDER BY created_at, agent_id',
  ).all(requestId) as { agent_id: number; created_at: number }[]
}

/** Revokes every unused code of a request (a new one replaces them, or the request ends). */
export function revokeAccessCodes(db: Db, requestId: number, now: number): number {
  return prepared(
    db,
    'UPDATE access_codes SET revoked_at = ? WHERE request_id = ? AND used_at IS NULL AND revoked_at IS NULL',
  ).run(now, requestId).changes
}

export function insertAccessCode(
  db: Db,
  r: {
    requestId: number
    userId: number
    codeHash: string
    delivery: 'sms' | 'agent'
    issuedBy: number
    now: number
    expiresAt: number
  },
): number {
  return Number(
    prepared(
      db,
      `INSERT INTO access_codes (request_id, user_id, code_hash, delivery, issued_by, created_at, expires_at)
       VALUES (@requestId, @userId, @codeHash, @delivery, @issuedBy, @now, @expiresAt)`,
    ).run(r).lastInsertRowid,
  )
}

export function accessCodesOf(db: Db, requestId: number): AccessCodeRow[] {
  return prepared(db, 'SELECT * FROM access_codes WHERE request_id = ? ORDER BY id').all(
    requestId,
  ) as AccessCodeRow[]
}

export function findAccessCode(db: Db, userId: number, codeHash: string): AccessCodeRow | undefined {
  return prepared(db, 'SELECT * FROM access_codes WHERE user_id = ? AND code_hash = ?').get(
    userId,
    codeHash,
  ) as AccessCodeRow | undefined
}

/** Spends a code: only one caller can, even across processes. */
export function useAccessCode(db: Db, id: number, now: number): boolean {
  return (
    prepared(
      db,
      'UPDATE access_codes SET used_at = ? WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?',
    ).run(now, id, now).changes === 1
  )
}

/** The recovery events about one request, oldest first. */
export function recoveryEvents(db: Db, userId: number, requestId: number): AuditRow[] {
  return prepared(
    db,
    `SELECT seq, at, type, actor_id, subject_id, data, prev_hash, hash FROM audit_events
       WHERE subject_id = ? AND type LIKE 'recovery.%' AND json_extract(data, '$.requestId') = ?
       ORDER BY seq`,
  ).all(userId, requestId) as AuditRow[]
}

/** A user's requests, newest first. */
export function recoveryRequestsOf(
  db: Db,
  userId: number,
  limit: number,
): Pick<RecoveryRow, 'id' | 'status' | 'created_at' | 'updated_at'>[] {
  return prepared(
    db,
    'SELECT id, status, created_at, updated_at FROM recovery_requests WHERE user_id = ? ORDER BY id DESC LIMIT ?',
  ).all(userId, limit) as Pick<RecoveryRow, 'id' | 'status' | 'created_at' | 'updated_at'>[]
}
