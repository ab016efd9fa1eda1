import { sql } from 'kysely'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestDatabase, dropTestDatabase, onPostgres } from '../../../../test/fixtures/engine'
import { testKeychain } from '../../../../test/fixtures/keychain'
import { LATEST_SCHEMA_VERSION } from '../migrations'
import { createTeamDatabase, openTeamDatabase } from './open'

const PASSPHRASE = 'team passphrase for the upgrade test'

/** What schema 16 took away, put back: a team database as the previous version left it. */
const BACK_TO_15 = `
  CREATE INDEX audit_events_by_type ON audit_events (type, at);
  UPDATE tessera_meta SET value = '15' WHERE key = 'schema_version';
`

/** What schemas 15 and 16 changed, undone. */
const BACK_TO_14 = `
  ${BACK_TO_15}
  ALTER TABLE import_runs DROP COLUMN kind;
  UPDATE tessera_meta SET value = '14' WHERE key = 'schema_version';
`

/** What schemas 14 and 15 added, taken away again. */
const BACK_TO_13 = `
  ${BACK_TO_14}
  ALTER TABLE users DROP COLUMN language;
  ALTER TABLE users DROP COLUMN theme;
  UPDATE tessera_meta SET value = '13' WHERE key = 'schema_version';
`

/** What schemas 13 and 14 added, taken away again. */
const BACK_TO_12 = `
  ${BACK_TO_13}
  DROP INDEX audit_events_subject_type;
  DROP INDEX recovery_requests_by_user;
  UPDATE tessera_meta SET value = '12' WHERE key = 'schema_version';
`

/** What schemas 12 and 13 added, taken away again. */
const BACK_TO_11 = `
  ${BACK_TO_12}
  DROP TABLE import_codes;
  DROP TABLE import_runs;
  UPDATE tessera_meta SET value = '11' WHERE key = 'schema_version';
`

/** What schemas 11 and 12 added, taken away again: a team database as the version before left it. */
const BACK_TO_10 = `
  ${BACK_TO_11}
  DROP TABLE email_outbox;
  DROP TABLE password_resets;
  ALTER TABLE users DROP COLUMN password_changed_at;
  ALTER TABLE recovery_requests DROP COLUMN purpose;
  UPDATE tessera_meta SET value = '10' WHERE key = 'schema_version';
`

describe.skipIf(!onPostgres)('a team database written by the previous version', () => {
  let url: string
  beforeEach(async () => {
    url = await createTestDatabase()
  })
  afterEach(() => dropTestDatabase(url))

  it('is upgraded to schema 12 when opened, once, however many consoles open it at the same moment', async () => {
    const keychain = testKeychain()
    const created = await createTeamDatabase(url, {
      passphrase: PASSPHRASE,
      keychain,
      kdf: { memoryCost: 19456, timeCost: 2, parallelism: 1 },
    })
    await sql.raw(BACK_TO_10).execute(created.db.q)
    await created.db.close()

    const sources = { keychain, passphrase: () => PASSPHRASE }
    const opened = await Promise.all([1, 2, 3].map(() => openTeamDatabase(url, sources)))
    try {
      const db = opened[0]!.db
      expect(await db.engine.schemaVersion()).toBe(LATEST_SCHEMA_VERSION)
      const { rows } = await sql<{ table_name: string }>`
        SELECT table_name FROM information_schema.tables
        WHERE table_schema = current_schema()
          AND table_name IN ('email_outbox', 'password_resets', 'import_runs', 'import_codes')
        ORDER BY table_name`.execute(db.q)
      expect(rows.map((r) => r.table_name)).toEqual([
        'email_outbox',
        'import_codes',
        'import_runs',
        'password_resets',
      ])
      const columns = await sql<{ column_name: string }>`
        SELECT column_name FROM information_schema.columns
        WHERE table_schema = current_schema()
          AND (table_name, column_name) IN (('users', 'password_changed_at'), ('recovery_requests', 'purpose'))`.execute(
        db.q,
      )
      expect(columns.rows).toHaveLength(2)
    } finally {
      await Promise.all(opened.map((o) => o.db.close()))
    }
  })

  it('is upgraded from schema 15 to 16 without the audit index no query reads', async () => {
    const keychain = testKeychain()
    const created = await createTeamDatabase(url, {
      passphrase: PASSPHRASE,
      keychain,
      kdf: { memoryCost: 19456, timeCost: 2, parallelism: 1 },
    })
    const auditIndexes = async (db: typeof created.db) =>
      (
        await sql<{ indexname: string }>`
          SELECT indexname FROM pg_indexes
          WHERE schemaname = current_schema() AND tablename = 'audit_events'
          ORDER BY indexname`.execute(db.q)
      ).rows.map((r) => r.indexname)
    const kept = ['audit_events_pkey', 'audit_events_subject', 'audit_events_subject_type']
    // Created at the latest version, the trail never had it.
    expect(await auditIndexes(created.db)).toEqual(kept)
    await sql.raw(BACK_TO_15).execute(created.db.q)
    await created.db.close()

    const opened = await openTeamDatabase(url, { keychain, passphrase: () => PASSPHRASE })
    try {
      expect(await opened.db.engine.schemaVersion()).toBe(LATEST_SCHEMA_VERSION)
      expect(await auditIndexes(opened.db)).toEqual(kept)
    } finally {
      await opened.db.close()
    }
  })

  it("is upgraded from schema 14 to 15: earlier runs are imports, and a run's kind is one of two", async () => {
    const keychain = testKeychain()
    const created = await createTeamDatabase(url, {
      passphrase: PASSPHRASE,
      keychain,
      kdf: { memoryCost: 19456, timeCost: 2, parallelism: 1 },
    })
    await sql.raw(BACK_TO_14).execute(created.db.q)
    await sql`INSERT INTO import_runs (id, file_sha256, total, started_at, updated_at)
      VALUES ('r1', 'f', 1, 1, 1)`.execute(created.db.q)
    await created.db.close()

    const opened = await openTeamDatabase(url, { keychain, passphrase: () => PASSPHRASE })
    try {
      expect(await opened.db.engine.schemaVersion()).toBe(LATEST_SCHEMA_VERSION)
      const { rows } = await sql<{ kind: string }>`SELECT kind FROM import_runs`.execute(opened.db.q)
      expect(rows).toEqual([{ kind: 'import' }])
      await expect(
        sql`INSERT INTO import_runs (id, file_sha256, total, started_at, updated_at, kind)
          VALUES ('r2', '', 1, 1, 1, 'other')`.execute(opened.db.q),
      ).rejects.toThrow(/check/i)
    } finally {
      await opened.db.close()
    }
  })

  it('is upgraded from schema 13 to 14: everyone follows the OS until they choose', async () => {
    const keychain = testKeychain()
    const created = await createTeamDatabase(url, {
      passphrase: PASSPHRASE,
      keychain,
      kdf: { memoryCost: 19456, timeCost: 2, parallelism: 1 },
    })
    await sql.raw(BACK_TO_13).execute(created.db.q)
    await sql`INSERT INTO users (email, name, role, password_hash, created_at, updated_at)
      VALUES ('a@example.com', 'A', 'owner', 'h', 1, 1)`.execute(created.db.q)
    await created.db.close()

    const opened = await openTeamDatabase(url, { keychain, passphrase: () => PASSPHRASE })
    try {
      expect(await opened.db.engine.schemaVersion()).toBe(LATEST_SCHEMA_VERSION)
      const { rows } = await sql<{ language: string | null; theme: string }>`
        SELECT language, theme FROM users`.execute(opened.db.q)
      expect(rows).toEqual([{ language: null, theme: 'system' }])
      await expect(sql`UPDATE users SET language = 'fr'`.execute(opened.db.q)).rejects.toThrow(/check/i)
    } finally {
      await opened.db.close()
    }
  })

  it('is upgraded from schema 12 to 13 with the indexes the agent facts read by', async () => {
    const keychain = testKeychain()
    const created = await createTeamDatabase(url, {
      passphrase: PASSPHRASE,
      keychain,
      kdf: { memoryCost: 19456, timeCost: 2, parallelism: 1 },
    })
    await sql.raw(BACK_TO_12).execute(created.db.q)
    await created.db.close()

    const opened = await openTeamDatabase(url, { keychain, passphrase: () => PASSPHRASE })
    try {
      expect(await opened.db.engine.schemaVersion()).toBe(LATEST_SCHEMA_VERSION)
      const { rows } = await sql<{ indexname: string }>`
        SELECT indexname FROM pg_indexes
        WHERE schemaname = current_schema()
          AND indexname IN ('audit_events_subject_type', 'recovery_requests_by_user')
        ORDER BY indexname`.execute(opened.db.q)
      expect(rows.map((r) => r.indexname)).toEqual(['audit_events_subject_type', 'recovery_requests_by_user'])
    } finally {
      await opened.db.close()
    }
  })

  it('is upgraded from schema 11 to 12 with the import tables, their rules included', async () => {
    const keychain = testKeychain()
    const created = await createTeamDatabase(url, {
      passphrase: PASSPHRASE,
      keychain,
      kdf: { memoryCost: 19456, timeCost: 2, parallelism: 1 },
    })
    await sql.raw(BACK_TO_11).execute(created.db.q)
    await created.db.close()

    const opened = await openTeamDatabase(url, { keychain, passphrase: () => PASSPHRASE })
    try {
      const db = opened.db
      expect(await db.engine.schemaVersion()).toBe(LATEST_SCHEMA_VERSION)
      await sql`INSERT INTO users (email, name, role, created_at, updated_at) VALUES ('a@example.com', 'A', 'member', 1, 1)`.execute(
        db.q,
      )
      await sql`INSERT INTO import_runs (id, file_sha256, total, started_at, updated_at) VALUES ('r1', 'f', 1, 1, 1)`.execute(
        db.q,
      )
      await sql`INSERT INTO import_codes (user_id, run_id, code) SELECT id, 'r1', 's1:x' FROM users`.execute(
        db.q,
      )
      await sql`DELETE FROM users`.execute(db.q)
      const left = await sql<{ n: string }>`SELECT count(*) AS n FROM import_codes`.execute(db.q)
      expect(Number(left.rows[0]!.n)).toBe(0)
    } finally {
      await opened.db.close()
    }
  })
})
