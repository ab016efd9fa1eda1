import type { Role } from '../../../shared/schemas'
import { prepared, type Db } from '../connection'
import { MAX_CONSECUTIVE_FAILURES } from './throttle'

const MAX_FAILURES_SQL = String(MAX_CONSECUTIVE_FAILURES)

export type UserFilter = 'enrolled' | 'required' | 'off' | 'at-risk' | 'locked' | 'disabled' | 'invited'
export type UserSort = 'name' | 'email' | 'last-login'

export interface UserListQuery {
  search?: string | undefined
  filter?: UserFilter | undefined
  role?: Role | undefined
  sort: UserSort
  /** The last row of the previous page: its sort key and id. */
  after?: { key: string | number; id: number } | undefined
  limit: number
  now: number
  /** One user only (a user's page shows the same summary as the list). */
  userId?: number | undefined
}

export interface UserListRow {
  id: number
  email: string
  name: string
  role: Role
  status: 'invited' | 'active' | 'disabled'
  require_2fa: 0 | 1
  twofa_state: 'enrolled' | 'required' | 'off'
  totp_enrolled_at: number | null
  backup_codes_left: number
  last_login_at: number | null
  locked_until: number | null
  locked_forever: 0 | 1
}

/** Sort key expressions: each matches an index of migration 0003 exactly, so pages walk an index. */
const SORT_KEY: Record<UserSort, string> = {
  name: 'u.name COLLATE NOCASE',
  email: 'u.email',
  'last-login': 'ifnull(u.last_login_at, 0)',
}
/** Most recent logins first; names and emails A→Z. */
const DESCENDING: Record<UserSort, boolean> = { name: false, email: false, 'last-login': true }

const FILTER_SQL: Record<UserFilter, string> = {
  enrolled: "u.twofa_state = 'enrolled'",
  required: "u.twofa_state = 'required'",
  off: "u.twofa_state = 'off'",
  'at-risk': 'u.at_risk',
  locked: `u.id IN (SELECT user_id FROM login_throttle WHERE locked_until > @now OR consecutive_failures >= ${MAX_FAILURES_SQL})`,
  disabled: "u.status = 'disabled'",
  invited: "u.status = 'invited'",
}

/** The end of a prefix range: 'ab' → 'ab\uffff', so `col >= p AND col < end` is an index range. */
const prefixEnd = (p: string): string => `${p}\uffff`

/**
 * One page of users, in SQL, by keyset (never OFFSET): the cost of page 1 and page 2,000 is the same.
 * The SQL text is assembled only from the fixed fragments above; every value is a bound parameter.
 */
export function listUsers(db: Db, q: UserListQuery): UserListRow[] {
  const { sql, params } = listUsersSql(q)
  return prepared(db, sql).all(params) as UserListRow[]
}

/** The plan SQLite picks for a page, for the test that asserts pages walk an index. */
export function explainListUsers(db: Db, q: UserListQuery): string[] {
  const { sql, params } = listUsersSql(q)
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((r) => r.detail)
}

function listUsersSql(q: UserListQuery): { sql: string; params: Record<string, unknown> } {
  const where: string[] = []
  const params: Record<string, unknown> = { now: q.now, limit: q.limit }
  if (q.filter) where.push(FILTER_SQL[q.filter])
  if (q.userId !== undefined) {
    where.push('u.id = @userId')
    params.userId = q.userId
  }
  if (q.role) {
    where.push('u.role = @role')
    params.role = q.role
  }
  const key = SORT_KEY[q.sort]
  const desc = DESCENDING[q.sort]
  if (q.after) {
    // Spelled out rather than as a row value `(key, id) > (?, ?)`: SQLite turns `key >= ?` into an index
    // range even where the key has a collation or is an expression, so a deep page starts where the
    // previous one ended instead of walking the index from the top.
    const cmp = desc ? '<' : '>'
    where.push(`${key} ${cmp}= @afterKey AND (${key} ${cmp} @afterKey OR u.id ${cmp} @afterId)`)
    params.afterKey = q.after.key
    params.afterId = q.after.id
  }
  const dir = desc ? 'DESC' : 'ASC'
  const order = `ORDER BY ${key} ${dir}, u.id ${dir}`
  const filtered = (range: string) => `WHERE ${[range, ...where].join(' AND ')}`
  // A search takes the first page of each prefix range (email, name) with every filter applied inside,
  // then merges them: each range is walked on its own index (covering the sort key), so the cost
  // follows the page size and the matches' index entries, not the table.
  let from = 'users u'
  let outerWhere = where.length ? `WHERE ${where.join(' AND ')}` : ''
  if (q.search) {
    const email = 'u.email >= @p AND u.email < @pEnd'
    const name = 'u.name >= @p COLLATE NOCASE AND u.name < @pEnd COLLATE NOCASE'
    from = `(SELECT id FROM (SELECT u.id FROM users u ${filtered(email)} ${order} LIMIT @limit)
             UNION
             SELECT id FROM (SELECT u.id FROM users u ${filtered(name)} ${order} LIMIT @limit)
            ) AS m CROSS JOIN users u ON u.id = m.id`
    outerWhere = ''
    params.p = q.search
    params.pEnd = prefixEnd(q.search)
  }
  const sql = `
    SELECT u.id, u.email, u.name, u.role, u.status, u.require_2fa, u.twofa_state, u.totp_enrolled_at,
           u.backup_codes_left, u.last_login_at,
           (SELECT max(t.locked_until) FROM login_throttle t WHERE t.user_id = u.id AND t.locked_until > @now) AS locked_until,
           EXISTS (SELECT 1 FROM login_throttle t WHERE t.user_id = u.id AND t.consecutive_failures >= ${MAX_FAILURES_SQL}) AS locked_forever
    FROM ${from}
    ${outerWhere}
    ${order}
    LIMIT @limit`
  return { sql, params }
}

export function sortKeyOf(row: UserListRow, sort: UserSort): string | number {
  if (sort === 'name') return row.name
  if (sort === 'email') return row.email
  return row.last_login_at ?? 0
}
