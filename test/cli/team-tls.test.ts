import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/main/adapters/clock'
import { openTeamDatabase } from '../../src/main/db/postgres/open'
import type { SessionState } from '../../src/shared/dto'
import { gateFor } from '../fixtures/backend'
import { adminUrl, onPostgres } from '../fixtures/engine'
import { firstRunConsole } from '../fixtures/first-run'
import { startBackend } from '../fixtures/harness'
import { unreachableKeychain } from '../fixtures/keychain'
import { value } from '../fixtures/results'
import { startTlsOnlyServer, tlsServerUnavailable, type TlsOnlyServer } from '../fixtures/tls-postgres'
import {
  baseEnv,
  DB_PASSPHRASE,
  ensureCliBuilt,
  OWNER_EMAIL,
  OWNER_NAME,
  OWNER_PASSWORD,
  tessera,
  type CliRun,
} from './helpers'

/**
 * A team database on a server that accepts only TLS connections (exit 30, DB_TLS_REQUIRED), on a real
 * server of the test's own: a throwaway cluster (initdb) with a self-signed certificate, `ssl = on` and
 * only `hostssl` in pg_hba.conf. PostgreSQL answers a client that did not ask for TLS with SQLSTATE 28000,
 * "no pg_hba.conf entry for host …, no encryption". Runs on the PostgreSQL test pass.
 */
const unavailable = !onPostgres
  ? 'not the PostgreSQL test engine (TESSERA_TEST_ENGINE=postgres)'
  : tlsServerUnavailable()

describe.skipIf(unavailable !== undefined)(
  `a team database on a server that accepts only TLS${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    let server: TlsOnlyServer
    beforeAll(async () => {
      await ensureCliBuilt()
      server = await startTlsOnlyServer()
    })
    afterAll(() => server?.stop())

    const tables = async (database: string) =>
      (
        await server.query<{ name: string }>(
          database,
          "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
        )
      ).map((r) => r.name)
    const tlsRequired = (database: string) =>
      `PostgreSQL at 127.0.0.1:${server.port}/${database} accepts only encrypted connections: add ?sslmode=verify-full to the URL (with &sslrootcert=FILE naming its certificate authority when the server's certificate is self-signed).`
    const secrets = () => [server.password, OWNER_PASSWORD, DB_PASSPHRASE]

    it('tessera status and init without TLS: exit 30, a message that says to ask for TLS, and nothing created', async () => {
      await server.query('postgres', 'CREATE DATABASE team_cli')
      const env = baseEnv({
        PGPASSWORD: server.password,
        TESSERA_TEAM_PASSPHRASE: DB_PASSPHRASE,
        TESSERA_KEYCHAIN_SERVICE: `Tessera-test-${randomUUID()}`,
      })
      const init = (url: string) =>
        tessera(
          ['init', '--database-url', url, '--owner-email', OWNER_EMAIL, '--owner-name', OWNER_NAME, '--json'],
          { input: `${OWNER_PASSWORD}\n`, env },
        )
      const plain = server.plainUrlWithoutPassword('team_cli')
      const runs: CliRun[] = []

      const status = tessera(['status', '--database-url', plain], { env })
      runs.push(status)
      expect(status.status, status.stderr).toBe(30)
      expect(status.stderr).toBe(`tessera: ${tlsRequired('team_cli')}\n`)
      expect(status.stdout).toBe('')
      const statusJson = tessera(['status', '--database-url', plain, '--json'], { env })
      runs.push(statusJson)
      expect(statusJson.status).toBe(30)
      expect(statusJson.json()).toEqual({
        error: { code: 'DATABASE', reason: 'DB_TLS_REQUIRED', message: tlsRequired('team_cli') },
      })

      const refused = init(plain)
      runs.push(refused)
      expect(refused.status, refused.stderr).toBe(30)
      expect(refused.json()).toEqual({
        error: { code: 'DATABASE', reason: 'DB_TLS_REQUIRED', message: tlsRequired('team_cli') },
      })
      // Nothing was created: the database is as empty as before.
      expect(await tables('team_cli')).toEqual([])

      // The same database over TLS, the server's certificate trusted: init works there, so it was only
      // TLS that was missing (and the emptiness above is not for want of a server that creates tables).
      const tls = server.tlsUrlWithoutPassword('team_cli')
      const created = init(tls)
      runs.push(created)
      expect(created.status, created.stderr).toBe(0)
      expect(created.json()).toMatchObject({
        created: true,
        owner: { email: OWNER_EMAIL, role: 'owner' },
        status: { engine: 'postgres', keyStore: 'team', userCount: 1 },
      })
      expect(await tables('team_cli')).toContain('tessera_meta')

      for (const r of runs) for (const s of secrets()) expect(r.stdout + r.stderr).not.toContain(s)
    })

    it('the console shows the same: on joining from the first-run screen, and on a console started on that address', async () => {
      await server.query('postgres', 'CREATE DATABASE team_console')
      const url = server.plainUrl('team_console')
      const message = tlsRequired('team_console')

      // The core's opener, as every console and the CLI call it.
      await expect(
        openTeamDatabase(url, { keychain: unreachableKeychain(), passphrase: () => DB_PASSPHRASE }),
      ).rejects.toMatchObject({ name: 'DatabaseOpenError', reason: 'DB_TLS_REQUIRED', message })
      // The server's refusal quotes the user and database names: one that happens to contain "password"
      // is still a TLS matter, not a wrong password.
      await expect(
        openTeamDatabase(server.plainUrl('password_vault'), { keychain: unreachableKeychain() }),
      ).rejects.toMatchObject({ reason: 'DB_TLS_REQUIRED', message: tlsRequired('password_vault') })

      // A new console joining it: refused with that message; it stays on the first-run screen and keeps
      // nothing (a restart is a first run again).
      const machine = firstRunConsole(new ManualClock(Date.UTC(2026, 10, 28, 9, 0, 0)))
      try {
        const backend = await machine.start()
        const gate = gateFor(backend)
        try {
          const join = await gate('window-1', 'setup.joinTeam', {
            databaseUrl: url,
            passphrase: DB_PASSPHRASE,
          })
          expect(join).toMatchObject({ ok: false, error: { code: 'DATABASE', message } })
          expect(JSON.stringify(join)).not.toContain(server.password)
          expect(value<SessionState>(await gate('window-1', 'session.state', {}))).toMatchObject({
            phase: 'needs-setup',
          })
        } finally {
          await backend.close()
        }
        expect(await machine.keychainEntries()).toEqual([])
        const restarted = await machine.start()
        expect(restarted.phase).toBe('needs-setup')
        await restarted.close()
      } finally {
        await machine.cleanup()
      }

      // A console given that address (TESSERA_DATABASE_URL): its error screen says why.
      const h = await startBackend({ databaseUrl: url })
      try {
        expect(value<SessionState>(await h.call('session.state'))).toEqual({
          phase: 'db-error',
          code: 'DB_TLS_REQUIRED',
          message,
        })
      } finally {
        await h.cleanup()
      }
      expect(await tables('team_console')).toEqual([])
    })
  },
)

/** The other half of DB_TLS_REQUIRED: the URL asks for TLS, and the server (the test server) has none. */
describe.skipIf(!onPostgres)('a URL that asks for TLS of a server that offers none', () => {
  beforeAll(ensureCliBuilt)

  it('tessera status: exit 30, and a message that the server does not offer TLS', async (ctx) => {
    const client = new pg.Client({ connectionString: adminUrl() })
    await client.connect()
    const ssl = (await client.query<{ ssl: string }>('SHOW ssl')).rows[0]?.ssl
    await client.end()
    if (ssl !== 'off') ctx.skip('the test server offers TLS')
    const u = new URL(adminUrl())
    const password = decodeURIComponent(u.password)
    u.password = ''
    u.searchParams.set('sslmode', 'verify-full')
    const r = tessera(['status', '--database-url', u.toString(), '--json'], {
      env: baseEnv({ PGPASSWORD: password, TESSERA_TEAM_PASSPHRASE: DB_PASSPHRASE }),
    })
    expect(r.status, r.stderr).toBe(30)
    expect(r.json()).toEqual({
      error: {
        code: 'DATABASE',
        reason: 'DB_TLS_REQUIRED',
        message: `The URL asks for TLS but PostgreSQL at ${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname} does not offer it: use sslmode=disable only on a trusted network.`,
      },
    })
  })
})
