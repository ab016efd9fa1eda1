import { CompiledQuery, Kysely, PostgresDialect, PostgresDriver, sql, type DatabaseConnection } from 'kysely'
import { createRequire } from 'node:module'
import type pg from 'pg'
import { statementNameOf } from '../compiled'
import type { Schema } from '../schema'
import type { Sealer } from '../sealing'
import { Store, type EngineParts, type FileCheck } from '../store'

/**
 * pg is needed by team databases only, and takes about 50 ms to load: it is loaded when the first one is
 * opened, not by every start of the CLI or the app on a database file.
 */
let pgLibrary: typeof pg | undefined
const loadPg = (): typeof pg => (pgLibrary ??= createRequire(import.meta.url)('pg') as typeof pg)

/** The key of the one advisory lock every write transaction takes first (see WriteLockDriver). */
const WRITE_LOCK = 0x54455353 // 'TESS'
const LOCK = `select pg_advisory_xact_lock(${WRITE_LOCK})`

/**
 * Write transactions take one advisory lock before anything else, so every console's writes run one after
 * another, each seeing everything committed before it began — what BEGIN IMMEDIATE gives on the file.
 * The one-time codes, the limiter's counts, the audit chain's head, the outbox claims and the approvals
 * all rely on that, on both engines. BEGIN and the lock go to the server as one simple query (no
 * parameters: the protocol then allows several statements), so the lock costs no round trip of its own;
 * in READ COMMITTED each statement after it takes a new snapshot, which sees every write committed before
 * the lock was granted. A team's consoles write a few times a second, far below what one lock can serve.
 */
class WriteLockDriver extends PostgresDriver {
  override async beginTransaction(
    connection: DatabaseConnection,
    settings: Parameters<PostgresDriver['beginTransaction']>[1],
  ): Promise<void> {
    if (settings.isolationLevel || settings.accessMode) {
      await super.beginTransaction(connection, settings)
      await connection.executeQuery(CompiledQuery.raw(LOCK))
    } else {
      await connection.executeQuery(CompiledQuery.raw(`begin; ${LOCK}`))
    }
  }
}

class TesseraPostgresDialect extends PostgresDialect {
  constructor(private readonly config: ConstructorParameters<typeof PostgresDialect>[0]) {
    super(config)
  }
  override createDriver(): PostgresDriver {
    return new WriteLockDriver(this.config)
  }
}

/** pg hands bigint (times in ms, ids, counts) back as text; every one of ours fits a JS number. */
const INT8 = 20
const NUMERIC = 1700
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 || oid === NUMERIC
      ? (v: string) => Number(v)
      : loadPg().types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
}

/**
 * Runs the hot paths' queries (compiled.ts) as named statements: the server parses and plans each once
 * per connection, and a Users page or a gate check then costs one round trip of execution only.
 */
let statementClient: typeof pg.Client | undefined
function statementClientClass(): typeof pg.Client {
  if (statementClient) return statementClient
  class StatementClient extends loadPg().Client {
    // @ts-expect-error pg's overloads: Kysely calls query(text, values) and awaits the promise it returns.
    override query(...args: unknown[]): unknown {
      const query = super.query.bind(this) as (...a: unknown[]) => unknown
      const [text, values] = args
      const name =
        args.length === 2 && typeof text === 'string' && Array.isArray(values) && statementNameOf(text)
      return name ? query({ name, text, values }) : query(...args)
    }
  }
  return (statementClient = StatementClient as unknown as typeof pg.Client)
}

export interface PoolOptions {
  /** Connections this process keeps at most (default 10). */
  max?: number
  /** How long to wait for the server when connecting (default 5 s). */
  connectTimeoutMs?: number
}

export function createPool(url: string, options: PoolOptions = {}): pg.Pool {
  const pool = new (loadPg().Pool)({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    idleTimeoutMillis: 30_000,
    application_name: 'tessera',
    types,
    Client: statementClientClass(),
  })
  // A connection the server drops (a restart) must not crash the process: the pool replaces an idle one,
  // and a query in flight on a busy one fails on its own (pg also emits the loss on the client).
  pool.on('error', () => undefined)
  pool.on('connect', (client) => client.on('error', () => undefined))
  return pool
}

/** Where the database is, without the password, as the status screen and `tessera status` say it. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url)
    return `${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`
  } catch {
    return 'a PostgreSQL server'
  }
}

export const kyselyOver = (pool: pg.Pool): Kysely<Schema> =>
  new Kysely<Schema>({ dialect: new TesseraPostgresDialect({ pool }) })

function postgresParts(root: Kysely<Schema>, url: string): EngineParts {
  return {
    name: 'postgres',
    // users_id_cover in schema.ts.
    sortKeysById: true,
    describe: async () => {
      const { rows } = await sql<{ v: string }>`SELECT current_setting('server_version') AS v`.execute(root)
      return `PostgreSQL ${rows[0]?.v.split(' ')[0] ?? ''} at ${describeUrl(url)}; secrets sealed with AES-256-GCM under the team key`
    },
    schemaVersion: async () => {
      const row = await sql<{ value: string }>`SELECT value FROM tessera_meta WHERE key = 'schema_version'`
        .execute(root)
        .then((r) => r.rows[0])
      return Number(row?.value ?? 0)
    },
    check: async (): Promise<FileCheck> => {
      // The server enforces foreign keys and constraints itself; what it cannot know is whether the
      // figures the triggers keep still agree with the rows they summarize.
      const problems: string[] = []
      const { rows: invalid } = await sql<{ conname: string }>`
        SELECT conname FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
        WHERE n.nspname = current_schema() AND NOT c.convalidated`.execute(root)
      for (const c of invalid) problems.push(`constraint ${c.conname} is not validated`)
      const { rows: stats } = await sql<{ ok: boolean }>`
        SELECT (s.users, s.enrolled, s.required, s.required_enrolled, s.at_risk, s.invited) = (
          SELECT count(*), count(*) FILTER (WHERE twofa_state = 'enrolled'),
                 count(*) FILTER (WHERE twofa_state = 'required'),
                 count(*) FILTER (WHERE twofa_state = 'enrolled' AND require_2fa = 1),
                 count(*) FILTER (WHERE at_risk = 1), count(*) FILTER (WHERE status = 'invited')
          FROM users) AS ok
        FROM user_stats s WHERE s.id = 1`.execute(root)
      if (!stats[0]?.ok) problems.push('the dashboard counters do not match the users')
      const { rows: left } = await sql<{ n: number }>`
        SELECT count(*) AS n FROM users u
        WHERE u.backup_codes_left <> (SELECT count(*) FROM backup_codes b WHERE b.user_id = u.id AND b.used_at IS NULL)
           OR (u.totp_enrolled_at IS NULL) <> NOT EXISTS (SELECT 1 FROM totp_credentials t WHERE t.user_id = u.id)
           OR u.phone_verified <> (CASE WHEN EXISTS (SELECT 1 FROM phones p WHERE p.user_id = u.id) THEN 1 ELSE 0 END)`.execute(
        root,
      )
      if (Number(left[0]?.n ?? 0) > 0)
        problems.push(`${left[0]!.n} users' 2FA summary does not match their rows`)
      return { integrity: problems.length ? problems : ['ok'], foreignKeys: [] }
    },
    // Every write transaction already holds the database's write lock (WriteLockDriver).
    lockAuditChain: () => Promise.resolve(),
    listen: (onChange) => listenForChanges(url, onChange),
    close: () => Promise.resolve(),
  }
}

/**
 * A connection of its own that LISTENs for other consoles' changes. When the server goes away it comes
 * back (1 s, 2 s … at most 30 s apart), and reports every area as changed, since notices sent meanwhile
 * were lost.
 */
async function listenForChanges(url: string, onChange: (area: string) => void): Promise<() => Promise<void>> {
  let client: pg.Client | undefined
  let stopped = false
  let delay = 1000
  let timer: NodeJS.Timeout | undefined
  const connect = async (): Promise<void> => {
    const c = new (loadPg().Client)({ connectionString: url, application_name: 'tessera-listen', types })
    c.on('notification', (n) => {
      if (n.channel === 'tessera_changes' && n.payload) onChange(n.payload)
    })
    const retry = () => {
      if (stopped || client !== c) return
      client = undefined
      timer = setTimeout(() => void reconnect(), delay)
      timer.unref()
      delay = Math.min(delay * 2, 30_000)
    }
    c.on('error', retry)
    c.on('end', retry)
    client = c
    await c.connect()
    await c.query('LISTEN tessera_changes')
    delay = 1000
  }
  const reconnect = async () => {
    try {
      await connect()
      for (const area of ['users', 'recovery']) onChange(area)
    } catch {
      client?.emit('end')
    }
  }
  await connect()
  return async () => {
    stopped = true
    clearTimeout(timer)
    await client?.end().catch(() => undefined)
  }
}

/** A store over a team database whose schema is in place and whose team key opened. */
export function postgresStore(root: Kysely<Schema>, url: string, sealer: Sealer): Store {
  return new Store(root, postgresParts(root, url), sealer)
}
