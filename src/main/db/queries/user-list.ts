import {
  CompiledQuery,
  expressionBuilder,
  sql,
  type Expression,
  type ExpressionBuilder,
  type RawBuilder,
  type SqlBool,
} from 'kysely'
import type { Role } from '../../../shared/schemas'
import { keepStatement } from '../compiled'
import type { Schema } from '../schema'
import type { Executor, Store } from '../store'
import { MAX_CONSECUTIVE_FAILURES } from './throttle'

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
  /**
   * The policy's grace period for 2FA, in milliseconds: a user required to have 2FA for longer without
   * it is at risk. 0 when there is none.
   */
  graceMs?: number | undefined
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
  require_2fa_since: number | null
  phone_verified: 0 | 1
  twofa_state: 'enrolled' | 'required' | 'off'
  totp_enrolled_at: number | null
  backup_codes_left: number
  last_login_at: number | null
  locked_until: number | null
  locked_forever: 0 | 1
}

type UsersDb = Schema & { u: Schema['users'] }
type UsersEb = ExpressionBuilder<UsersDb, 'u'>
const eb: UsersEb = expressionBuilder<UsersDb, 'u'>()

/**
 * A value read from the call's query. Each shape of query (sort, filter, which options are given) is
 * built and compiled once with these standing in for its parameters; a call only reads its values in.
 */
class Slot {
  constructor(readonly read: (q: UserListQuery) => unknown) {}
}
const slot = <T>(read: (q: UserListQuery) => T): RawBuilder<T> => sql<T>`${new Slot(read)}`
/** Fixed values stay literals in the SQL text, as SQLite's planner saw them before. */
const lit = <V extends string | number>(v: V): RawBuilder<V> => sql.lit<V>(v)

/**
 * Sort key expressions: each matches an index exactly, so pages walk an index. `COLLATE NOCASE` and
 * `ifnull` are SQLite's built-ins, spelled as its indexes are (any other spelling, `coalesce` included,
 * stops SQLite from using them); the PostgreSQL schema defines a `nocase` collation and an `ifnull`
 * function under the same names, with its indexes on the same expressions.
 */
const SORT_KEY: Record<UserSort, RawBuilder<string> | RawBuilder<number>> = {
  name: sql<string>`${sql.ref('u.name')} COLLATE NOCASE`,
  email: sql<string>`${sql.ref('u.email')}`,
  'last-login': sql<number>`ifnull(${sql.ref('u.last_login_at')}, 0)`,
}
/**
 * The same orders, spelled so that no index matches them. A query that must read all of a small set of
 * rows and sort them (the locked users, a prefix's matches) orders by these: given an index in the sort
 * order, PostgreSQL's planner may walk it from the top and filter, expecting to meet the first page
 * early, when the rows it wants sit anywhere in that order, or all in its middle.
 */
const SORT_KEY_UNINDEXED: Record<UserSort, RawBuilder<string> | RawBuilder<number>> = {
  name: sql<string>`(${sql.ref('u.name')} || '') COLLATE NOCASE`,
  email: sql<string>`(${sql.ref('u.email')} || '')`,
  'last-login': sql<number>`(ifnull(${sql.ref('u.last_login_at')}, 0) + 0)`,
}
/** Most recent logins first; names and emails A→Z. */
const DESCENDING: Record<UserSort, boolean> = { name: false, email: false, 'last-login': true }

/** Locked now: for a while (locked_until ahead) or until an admin unlocks (too many failures). */
const LOCKED = eb(
  'u.id',
  'in',
  eb
    .selectFrom('login_throttle')
    .select('login_throttle.user_id')
    .where((w) =>
      w.or([
        w(
          'login_throttle.locked_until',
          '>',
          slot((q) => q.now),
        ),
        w('login_throttle.consecutive_failures', '>=', lit(MAX_CONSECUTIVE_FAILURES)),
      ]),
    ),
)

/**
 * The ways into "at risk" (see core/risk.ts for the same rules row by row). The stored `at_risk` column
 * holds what never changes with time (enrolled with 0–1 backup codes or no verified phone); the rest
 * depends on the clock or the policy, so it is decided when the page is read. Each entry says whether
 * an index walks it in the sort order (then a page reads only its first rows) or whether its few rows
 * are all read and sorted (owners and admins without 2FA, locked users).
 */
const RISK_WAYS: { when: Expression<SqlBool>[]; inSortOrder: boolean }[] = [
  // The exact term of the partial indexes' `WHERE at_risk = 1` (a planner uses them only for that term).
  { when: [eb('u.at_risk', '=', lit(1))], inSortOrder: true },
  {
    when: [eb('u.role', 'in', [lit('owner'), lit('admin')]), eb('u.totp_enrolled_at', 'is', null)],
    inSortOrder: false,
  },
  {
    // Walked on the 2FA state's indexes. An invited person cannot have set up 2FA yet: activating asks for it.
    when: [
      eb('u.twofa_state', '=', lit('required')),
      eb('u.status', '<>', lit('invited')),
      eb.or([
        eb('u.require_2fa_since', 'is', null),
        eb(
          'u.require_2fa_since',
          '<=',
          slot((q) => q.now - (q.graceMs ?? 0)),
        ),
      ]),
    ],
    inSortOrder: true,
  },
  { when: [LOCKED], inSortOrder: false },
]

const FILTER: Record<UserFilter, Expression<SqlBool>> = {
  enrolled: eb('u.twofa_state', '=', lit('enrolled')),
  required: eb('u.twofa_state', '=', lit('required')),
  off: eb('u.twofa_state', '=', lit('off')),
  // Within a search's ranges (few rows) as one condition; a page of all users takes each way apart.
  'at-risk': eb.or(RISK_WAYS.map((w) => eb.and(w.when))),
  locked: LOCKED,
  disabled: eb('u.status', '=', lit('disabled')),
  invited: eb('u.status', '=', lit('invited')),
}

const COLUMNS = [
  'u.id',
  'u.email',
  'u.name',
  'u.role',
  'u.status',
  'u.require_2fa',
  'u.require_2fa_since',
  'u.phone_verified',
  'u.twofa_state',
  'u.totp_enrolled_at',
  'u.backup_codes_left',
  'u.last_login_at',
  eb
    .selectFrom('login_throttle as t')
    .select((s) => s.fn.max('t.locked_until').as('m'))
    .whereRef('t.user_id', '=', 'u.id')
    .where(
      't.locked_until',
      '>',
      slot((q) => q.now),
    )
    .as('locked_until'),
  eb
    .case()
    .when(
      eb.exists(
        eb
          .selectFrom('login_throttle as t')
          .select(eb.lit(1).as('one'))
          .whereRef('t.user_id', '=', 'u.id')
          .where('t.consecutive_failures', '>=', lit(MAX_CONSECUTIVE_FAILURES)),
      ),
    )
    .then(eb.lit(1))
    .else(eb.lit(0))
    .end()
    .as('locked_forever'),
] as const

/** The end of a prefix range: 'ab' → 'ab\uffff', so `col >= p AND col < end` is an index range. */
const prefixEnd = (p: string): string => `${p}\uffff`

const EMAIL_RANGE = [
  eb(
    'u.email',
    '>=',
    slot((q) => q.search!),
  ),
  eb(
    'u.email',
    '<',
    slot((q) => prefixEnd(q.search!)),
  ),
]
// `name` compares case-insensitively only with COLLATE NOCASE, the collation of the name indexes.
const NAME_RANGE = [
  sql<SqlBool>`${sql.ref('u.name')} >= ${slot((q) => q.search!)} COLLATE NOCASE`,
  sql<SqlBool>`${sql.ref('u.name')} < ${slot((q) => prefixEnd(q.search!))} COLLATE NOCASE`,
]

/** What decides the SQL text of a page; everything else is a parameter. */
const shapeOf = (q: UserListQuery): string =>
  `${q.sort}/${q.filter ?? ''}/${q.role ? 'r' : ''}${q.userId !== undefined ? 'u' : ''}${q.after ? 'a' : ''}${q.search ? 's' : ''}`

/**
 * Builds the page query of one shape, with slots for its values. A search takes the first page of each
 * prefix range (email, name) with every filter applied inside, then merges them: each range is walked
 * on its own index (covering the sort key), so the cost follows the page size and the matches' index
 * entries, not the table.
 */
function pageQuery(kx: Executor, q: UserListQuery, sortKeysById: boolean): CompiledQuery {
  const where: Expression<SqlBool>[] = []
  // Without a search, the at-risk page is the merge of each way's first page (below).
  const riskWays = q.filter === 'at-risk' && !q.search
  if (q.filter && !riskWays) where.push(FILTER[q.filter])
  if (q.userId !== undefined)
    where.push(
      eb(
        'u.id',
        '=',
        slot((v) => v.userId!),
      ),
    )
  if (q.role)
    where.push(
      eb(
        'u.role',
        '=',
        slot((v) => v.role!),
      ),
    )
  // The locked users are found from login_throttle (few rows) and sorted, never by walking users.
  const key = (q.filter === 'locked' ? SORT_KEY_UNINDEXED : SORT_KEY)[q.sort]
  const dir = DESCENDING[q.sort] ? 'desc' : 'asc'
  if (q.after) {
    // Spelled out rather than as a row value `(key, id) > (?, ?)`: SQLite turns `key >= ?` into an index
    // range even where the key has a collation or is an expression, so a deep page starts where the
    // previous one ended instead of walking the index from the top.
    const cmp = DESCENDING[q.sort] ? '<' : '>'
    const afterKey = slot((v) => v.after!.key)
    where.push(
      eb.and([
        eb(key, `${cmp}=`, afterKey),
        eb.or([
          eb(key, cmp, afterKey),
          eb(
            'u.id',
            cmp,
            slot((v) => v.after!.id),
          ),
        ]),
      ]),
    )
  }
  const limit = slot((v) => v.limit)
  const lockedByIndex = q.filter === 'locked' && sortKeysById
  if (!q.search && !lockedByIndex && !riskWays) {
    return where
      .reduce((b, c) => b.where(c), kx.selectFrom('users as u'))
      .select(COLUMNS)
      .orderBy(key, dir)
      .orderBy('u.id', dir)
      .limit(limit)
      .compile()
  }
  const firstPageOf = (range: Expression<SqlBool>[], orderKey: typeof key) =>
    [...range, ...where]
      .reduce((b, c) => b.where(c), kx.selectFrom('users as u').select('u.id'))
      .orderBy(orderKey, dir)
      .orderBy('u.id', dir)
      .limit(limit)
  // A range is read in the sort order from its own index when it is the sort column. Sorted by the other
  // of name and email, all of its matches are read and sorted (a prefix's matches are few next to the
  // table): the two go together (mia.lind@… is Mia Lind), so walking the other's index meets the first
  // match of "mar" only halfway down. Last logins have nothing to do with names.
  const rangeKey = (column: UserSort) =>
    column === q.sort || q.sort === 'last-login' ? key : SORT_KEY_UNINDEXED[q.sort]
  // The locked users' first page is found by id and sort key alone (read from an index on id), and only
  // its rows are read in full.
  const matches = riskWays
    ? RISK_WAYS.map((w) =>
        kx
          .selectFrom(firstPageOf(w.when, w.inSortOrder ? key : SORT_KEY_UNINDEXED[q.sort]).as('r'))
          .select('r.id'),
      ).reduce((a, b) => a.union(b))
    : q.search
      ? kx
          .selectFrom(firstPageOf(EMAIL_RANGE, rangeKey('email')).as('e'))
          .select('e.id')
          .union(kx.selectFrom(firstPageOf(NAME_RANGE, rangeKey('name')).as('n')).select('n.id'))
      : kx.selectFrom(firstPageOf([], key).as('l')).select('l.id')
  // CROSS JOIN keeps SQLite from reordering the join: the few matches drive, users are looked up by id.
  return kx
    .selectFrom(matches.as('m'))
    .crossJoin('users as u')
    .whereRef('u.id', '=', 'm.id')
    .select(COLUMNS)
    .orderBy(key, dir)
    .orderBy('u.id', dir)
    .limit(limit)
    .compile()
}

const compiledPages = new WeakMap<Store, Map<string, CompiledQuery>>()

/** The page's SQL, compiled once per store and shape, with this call's values. */
function pageFor(db: Store, q: UserListQuery): { sql: string; parameters: unknown[] } {
  let byShape = compiledPages.get(db)
  if (!byShape) compiledPages.set(db, (byShape = new Map()))
  const shape = shapeOf(q)
  let page = byShape.get(shape)
  if (!page) {
    byShape.set(shape, (page = pageQuery(db.q, q, db.engine.sortKeysById === true)))
    // Not a search: a plan made for one prefix's values (how many names start with "m") can be far wrong
    // for another, so a search is planned with its own values each time.
    if (!q.search) keepStatement(page.sql)
  }
  return { sql: page.sql, parameters: page.parameters.map((p) => (p instanceof Slot ? p.read(q) : p)) }
}

/**
 * One page of users, in SQL, by keyset (never OFFSET): the cost of page 1 and page 2,000 is the same.
 * The SQL text is assembled only from the fixed fragments above; every value is a bound parameter.
 */
export async function listUsers(db: Store, q: UserListQuery): Promise<UserListRow[]> {
  const page = pageFor(db, q)
  return db.run<UserListRow>(page.sql, page.parameters)
}

/** The plan SQLite picks for a page, for the test that asserts pages walk an index. */
export async function explainListUsers(db: Store, q: UserListQuery): Promise<string[]> {
  const page = pageFor(db, q)
  // ENGINE: SQLite's EXPLAIN QUERY PLAN; PostgreSQL's plan is plain EXPLAIN (one "QUERY PLAN" column).
  const plan = CompiledQuery.raw(`EXPLAIN QUERY PLAN ${page.sql}`, [...page.parameters])
  return (await db.q.executeQuery<{ detail: string }>(plan)).rows.map((r) => r.detail)
}

export function sortKeyOf(row: UserListRow, sort: UserSort): string | number {
  if (sort === 'name') return row.name
  if (sort === 'email') return row.email
  return row.last_login_at ?? 0
}
