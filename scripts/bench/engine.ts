import { randomBytes } from 'node:crypto'
import pg from 'pg'

/**
 * `npm run bench -- --engine postgres`: each benchmark gets a database of its own on the server named by
 * TESSERA_BENCH_PG_URL (or TESSERA_TEST_PG_URL; default: the test role on the local server), dropped after.
 */
export type BenchEngine = 'sqlite' | 'postgres'

const adminUrl = (): string =>
  process.env.TESSERA_BENCH_PG_URL ??
  process.env.TESSERA_TEST_PG_URL ??
  'postgres://tessera_test:tessera_test@127.0.0.1:5432/postgres'

async function admin(sqlText: string): Promise<void> {
  const c = new pg.Client({ connectionString: adminUrl() })
  await c.connect()
  try {
    await c.query(sqlText)
  } finally {
    await c.end()
  }
}

/** A fresh database for one benchmark: its URL, and how to drop it. */
export async function benchDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `tessera_bench_${randomBytes(4).toString('hex')}`
  await admin(`CREATE DATABASE ${name}`)
  const u = new URL(adminUrl())
  u.pathname = `/${name}`
  return { url: u.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) }
}
