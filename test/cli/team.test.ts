import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { fromBase32, totpAt } from '../../src/main/core/totp'
import { createKeytarKeychain } from '../../src/main/adapters/keychain'
import { openDatabase } from '../../src/main/db/open'
import { openTeamDatabase } from '../../src/main/db/postgres/open'
import { sealedAt } from '../../src/main/db/sealed'
import { sqlAll, sqlRun } from '../fixtures/sql'
import { adminUrl, createTestDatabase, dropTestDatabase, onPostgres } from '../fixtures/engine'
import { startFakeTwilio, type FakeTwilio } from '../fixtures/fake-twilio'
import { tempDir } from '../fixtures/temp'
import {
  AS_OWNER,
  baseEnv,
  DB_PASSPHRASE,
  ensureCliBuilt,
  initPassphraseDb,
  OWNER_EMAIL,
  OWNER_NAME,
  OWNER_PASSWORD,
  ownerStdin,
  teamUrlForPath,
  tessera,
  tesseraAsync,
  twilioConfigArgs,
  type CliRun,
} from './helpers'

/**
 * What only a team database (PostgreSQL) does: its own errors, and what its server keeps. Runs on the
 * PostgreSQL test pass (npm run test:unit:pg), where TESSERA_TEST_PG_URL names a server.
 */
describe.skipIf(!onPostgres)('a team database on PostgreSQL', () => {
  beforeAll(ensureCliBuilt)

  describe('tessera init --database-url and its errors', () => {
    let url: string
    const withPassword = (u: string) => {
      const parsed = new URL(u)
      const password = decodeURIComponent(parsed.password)
      parsed.password = ''
      return { flag: parsed.toString(), password }
    }
    const init = (u: string, env: NodeJS.ProcessEnv = {}) => {
      const { flag, password } = withPassword(u)
      return tessera(
        ['init', '--database-url', flag, '--owner-email', OWNER_EMAIL, '--owner-name', OWNER_NAME, '--json'],
        {
          input: `${OWNER_PASSWORD}\n`,
          env: baseEnv({ PGPASSWORD: password, TESSERA_TEAM_PASSPHRASE: DB_PASSPHRASE, ...env }),
        },
      )
    }
    const status = (u: string, env: NodeJS.ProcessEnv = {}) => {
      const { flag, password } = withPassword(u)
      return tessera(['status', '--database-url', flag, '--json'], {
        env: baseEnv({ PGPASSWORD: password, TESSERA_TEAM_PASSPHRASE: DB_PASSPHRASE, ...env }),
      })
    }
    beforeEach(async () => {
      url = await createTestDatabase()
    })
    afterEach(() => dropTestDatabase(url))

    it('creates the schema, the team key and the owner on an empty database, and says which engine', () => {
      const created = init(url)
      expect(created.status, created.stderr).toBe(0)
      expect(created.json()).toMatchObject({
        created: true,
        owner: { email: OWNER_EMAIL, role: 'owner' },
        status: { engine: 'postgres', schemaVersion: expect.any(Number), keyStore: 'team', userCount: 1 },
      })
      // The status never shows the server password.
      expect(created.stdout).not.toContain(new URL(url).password || 'no-password')
      const s = status(url)
      expect(s.status, s.stderr).toBe(0)
      expect(s.json()).toMatchObject({ engine: 'postgres', userCount: 1, auditEventCount: 1 })
      expect(init(url).status).toBe(7) // already a Tessera database: nothing changed
    })

    it('refuses a password in --database-url (argv), and takes the whole URL from TESSERA_DATABASE_URL', () => {
      const r = tessera(['status', '--database-url', url, '--json'], { env: baseEnv() })
      if (new URL(url).password) {
        expect(r.status).toBe(2)
        expect(r.json()).toMatchObject({ error: { reason: 'SECRET_IN_ARGV' } })
        expect(r.stdout + r.stderr).not.toContain(decodeURIComponent(new URL(url).password))
      }
      expect(init(url).status).toBe(0)
      const viaEnv = tessera(['status', '--json'], {
        env: baseEnv({ TESSERA_DATABASE_URL: url, TESSERA_TEAM_PASSPHRASE: DB_PASSPHRASE }),
      })
      expect(viaEnv.status, viaEnv.stderr).toBe(0)
    })

    it('names each connection failure and leaves nothing half-created', () => {
      const u = new URL(url)
      const refused = new URL(url)
      refused.port = '1'
      expect(status(refused.toString()).json()).toMatchObject({ error: { reason: 'DB_REFUSED' } })
      expect(status(refused.toString()).status).toBe(27)
      const missing = new URL(url)
      missing.pathname = '/tessera_t_no_such_database'
      expect(status(missing.toString()).status).toBe(29)
      const wrongPassword = new URL(url)
      wrongPassword.password = 'not-the-password'
      if (u.password) expect(status(wrongPassword.toString()).status).toBe(28)
      // An empty database is not a team database yet.
      expect(status(url).json()).toMatchObject({ error: { reason: 'NOT_FOUND' } })
      // A weak owner password is refused before anything is written: the database stays empty.
      const weak = tessera(
        [
          'init',
          '--database-url',
          withPassword(url).flag,
          '--owner-email',
          OWNER_EMAIL,
          '--owner-name',
          OWNER_NAME,
        ],
        {
          input: 'short\n',
          env: baseEnv({ PGPASSWORD: withPassword(url).password, TESSERA_TEAM_PASSPHRASE: DB_PASSPHRASE }),
        },
      )
      expect(weak.status).toBe(6)
      expect(status(url).json()).toMatchObject({ error: { reason: 'NOT_FOUND' } })
      // A team passphrase too short: refused, nothing created.
      expect(init(url, { TESSERA_TEAM_PASSPHRASE: 'short' }).status).toBe(2)
      expect(status(url).json()).toMatchObject({ error: { reason: 'NOT_FOUND' } })
    })

    it('refuses a database that holds other tables, a wrong team passphrase, and a newer schema', async () => {
      const other = await createTestDatabase()
      try {
        const { Client } = (await import('pg')).default
        const c = new Client({ connectionString: other })
        await c.connect()
        await c.query('CREATE TABLE invoices (id int)')
        await c.end()
        const r = init(other)
        expect(r.status).toBe(31)
        expect(r.json()).toMatchObject({ error: { reason: 'NOT_EMPTY' } })
      } finally {
        await dropTestDatabase(other)
      }
      expect(init(url).status).toBe(0)
      expect(status(url, { TESSERA_TEAM_PASSPHRASE: 'a wrong team passphrase' }).status).toBe(11)
      expect(status(url, { TESSERA_TEAM_PASSPHRASE: '' }).status).toBe(14)
      const { Client } = (await import('pg')).default
      const c = new Client({ connectionString: url })
      await c.connect()
      await c.query("UPDATE tessera_meta SET value = '99' WHERE key = 'schema_version'")
      await c.end()
      const tooNew = status(url)
      expect(tooNew.status).toBe(17)
      expect(tooNew.json()).toMatchObject({ error: { reason: 'TOO_NEW' } })
    })
  })

  describe('what the server keeps', () => {
    let t: ReturnType<typeof tempDir>
    let db: string
    let env: NodeJS.ProcessEnv
    let fake: FakeTwilio
    const run = (args: string[], input = `${OWNER_PASSWORD}\n`): Promise<CliRun> =>
      tesseraAsync(['--db', db, ...args], { input, env })

    beforeEach(async () => {
      t = tempDir()
      db = join(t.dir, 'tessera.db')
      env = initPassphraseDb(db)
      fake = await startFakeTwilio()
    })
    afterEach(async () => {
      await fake.close()
      t.cleanup()
    })

    it('a pg_dump of the team database holds no TOTP secret, token, code or full phone number', async () => {
      const NUMBER = '+34612345123'
      const config = await run([...twilioConfigArgs(fake), ...AS_OWNER], ownerStdin(fake.authToken))
      expect(config.status, config.stderr).toBe(0)
      const enroll = await run(['2fa', 'enroll', '--email', OWNER_EMAIL, '--json'])
      expect(enroll.status, enroll.stderr).toBe(0)
      const manualKey = (enroll.json().secret as string).replace(/\s/g, '')
      const secret = fromBase32(manualKey)
      const confirm = await run([
        '2fa',
        'confirm',
        '--email',
        OWNER_EMAIL,
        '--code',
        await totpAt({ secret, algorithm: 'sha1', digits: 6, period: 30 }, Date.now()),
        '--json',
      ])
      expect(confirm.status, confirm.stderr).toBe(0)
      const backupCodes = confirm.json().backupCodes as string[]
      const set = await run([
        'phone',
        'set',
        '--email',
        OWNER_EMAIL,
        '--number',
        NUMBER,
        '--confirm-number',
        NUMBER,
        '--not-authenticator-phone',
      ])
      expect(set.status, set.stderr).toBe(0)
      const smsCode = /\b(\d{6})\b/.exec(fake.messages.at(-1)!.body)![1]!
      // A second code, still waiting: its message body holds the code until it leaves.
      fake.failNext('server-error', 5)
      const added = await run(
        [
          'users',
          'add',
          '--email',
          'mia@example.com',
          '--name',
          'Mia',
          '--role',
          'member',
          '--json',
          ...AS_OWNER,
        ],
        ownerStdin(await totpAt({ secret, algorithm: 'sha1', digits: 6, period: 30 }, Date.now() + 30_000)),
      )
      expect(added.status, added.stderr).toBe(0)
      const invitation = added.json().invitationCode as string

      const { password } = new URL(adminUrl())
      const dump = spawnSync('pg_dump', ['--no-owner', '-d', teamUrlForPath(db)], {
        encoding: 'latin1',
        env: { ...process.env, PGPASSWORD: decodeURIComponent(password) },
        maxBuffer: 64 * 1024 * 1024,
      })
      expect(dump.status, dump.stderr).toBe(0)
      const text = dump.stdout
      expect(text).toContain('CREATE TABLE public.totp_credentials')
      const secretHex = Buffer.from(secret).toString('hex')
      const secretB64 = Buffer.from(secret).toString('base64')
      const searched = {
        'TOTP secret (base32)': manualKey,
        'TOTP secret (bytea hex)': secretHex,
        'TOTP secret (base64)': secretB64,
        'Twilio auth token': fake.authToken,
        'invitation code': invitation,
        'SMS code': smsCode,
        'phone number': NUMBER,
        'phone digits': NUMBER.slice(1),
        ...Object.fromEntries(backupCodes.map((c, i) => [`backup code ${i + 1}`, c])),
        'team passphrase': DB_PASSPHRASE,
        'owner password': OWNER_PASSWORD,
      }
      const found = Object.entries(searched).filter(([, value]) => text.includes(value))
      expect(found.map(([name]) => name)).toEqual([])
    })
  })
  describe('tessera db copy --to', () => {
    let t: ReturnType<typeof tempDir>
    let file: string
    let url: string
    let fake: FakeTwilio
    const fileEnv = baseEnv({ TESSERA_DB_PASSPHRASE: DB_PASSPHRASE })
    const onFile = (args: string[], input = `${OWNER_PASSWORD}\n`) =>
      tesseraAsync(['--db', file, ...args], { input, env: fileEnv, file: true })
    const onTeam = (args: string[], input = '') =>
      tesseraAsync(args, {
        input,
        env: baseEnv({ TESSERA_DATABASE_URL: url, TESSERA_TEAM_PASSPHRASE: 'the new team passphrase' }),
        file: true,
      })

    beforeEach(async () => {
      t = tempDir()
      file = join(t.dir, 'desk.db')
      url = await createTestDatabase()
      fake = await startFakeTwilio()
    })
    afterEach(async () => {
      await fake.close()
      await dropTestDatabase(url)
      t.cleanup()
    })

    it('moves a desktop database, secrets re-sealed, and both sides check out', async () => {
      const init = await tesseraAsync(
        [
          '--db',
          file,
          'init',
          '--owner-email',
          OWNER_EMAIL,
          '--owner-name',
          OWNER_NAME,
          '--key-store',
          'passphrase',
        ],
        { input: `${OWNER_PASSWORD}\n`, env: fileEnv, file: true },
      )
      expect(init.status, init.stderr).toBe(0)
      expect(
        (await onFile([...twilioConfigArgs(fake), ...AS_OWNER], ownerStdin(fake.authToken))).status,
      ).toBe(0)
      const enroll = await onFile(['2fa', 'enroll', '--email', OWNER_EMAIL, '--json'])
      const secret = fromBase32(enroll.json().secret as string)
      const code = (at: number) => totpAt({ secret, algorithm: 'sha1', digits: 6, period: 30 }, at)
      const confirm = await onFile([
        '2fa',
        'confirm',
        '--email',
        OWNER_EMAIL,
        '--code',
        await code(Date.now()),
        '--json',
      ])
      expect(confirm.status, confirm.stderr).toBe(0)
      const backupCodes = confirm.json().backupCodes as string[]
      const spent = await onFile(
        ['login', '--email', OWNER_EMAIL, '--backup-code', '-'],
        `${OWNER_PASSWORD}\n${backupCodes[2]}\n`,
      )
      expect(spent.status, spent.stderr).toBe(0)
      const NUMBER = '+34612345123'
      expect(
        (
          await onFile([
            'phone',
            'set',
            '--email',
            OWNER_EMAIL,
            '--number',
            NUMBER,
            '--confirm-number',
            NUMBER,
            '--not-authenticator-phone',
          ])
        ).status,
      ).toBe(0)
      const smsCode = /\b(\d{6})\b/.exec(fake.messages.at(-1)!.body)![1]!
      expect(
        (
          await onFile(
            ['phone', 'verify', '--email', OWNER_EMAIL, '--code', '-'],
            `${OWNER_PASSWORD}\n${smsCode}\n`,
          )
        ).status,
      ).toBe(0)
      const added = await onFile(
        ['users', 'add', '--email', 'mia@example.com', '--name', 'Mia', '--role', 'member', ...AS_OWNER],
        ownerStdin(await code(Date.now() + 30_000)),
      )
      expect(added.status, added.stderr).toBe(0)
      // An import interrupted before Mia's code was written out: the code is still held for her.
      const keychain = createKeytarKeychain('Tessera-unused')
      const desk = await openDatabase(file, { keychain, passphrase: () => DB_PASSPHRASE })
      const HELD = 'HELD2-CODE3-FOR45-MIA67-ABCDE-FG'
      try {
        await sqlRun(
          desk.db,
          "INSERT INTO import_runs (id, file_sha256, total, started_at, updated_at) VALUES ('run-1', 'f', 1, 1, 1)",
        )
        await sqlRun(
          desk.db,
          "INSERT INTO import_codes (user_id, run_id, code) SELECT id, 'run-1', ? FROM users WHERE email = 'mia@example.com'",
          HELD,
        )
      } finally {
        await desk.db.close()
      }
      const before = (await onFile(['audit', 'verify', '--json'], '')).json()

      const { flag, password } = (() => {
        const u = new URL(url)
        const pw = decodeURIComponent(u.password)
        u.password = ''
        return { flag: u.toString(), password: pw }
      })()
      const copy = await tesseraAsync(['--db', file, 'db', 'copy', '--to', flag, '--key-holder', '--json'], {
        input: `${DB_PASSPHRASE}\n`,
        env: { ...fileEnv, PGPASSWORD: password, TESSERA_TEAM_PASSPHRASE: 'the new team passphrase' },
        file: true,
      })
      expect(copy.status, copy.stderr).toBe(0)
      expect(copy.json()).toMatchObject({
        copied: true,
        tables: {
          users: 2,
          backup_codes: 5,
          phones: 1,
          totp_credentials: 1,
          import_runs: 1,
          import_codes: 1,
          audit_events: before.count,
        },
        target: {
          engine: 'postgres',
          userCount: 2,
          auditEventCount: before.count,
          auditHeadHash: before.headHash,
        },
        targetCheck: { integrity: ['ok'], audit: { ok: true, count: before.count } },
      })
      // The held code crossed sealed, bound to Mia.
      const team = await openTeamDatabase(url, { keychain, passphrase: () => 'the new team passphrase' })
      try {
        const [held] = await sqlAll<{ user_id: number; code: string }>(
          team.db,
          'SELECT user_id, code FROM import_codes',
        )
        expect(held!.code).toMatch(/^s1:/)
        expect(team.db.seal.openText(held!.code, sealedAt.importCode(Number(held!.user_id)))).toBe(HELD)
      } finally {
        await team.db.close()
      }
      // The team database works as the file did: the same password and app, the backup-code history,
      // the verified phone, the Twilio token.
      const status2fa = await onTeam(['2fa', 'status', '--email', OWNER_EMAIL, '--json'])
      expect(status2fa.json()).toMatchObject({ enrolled: true, backupCodesRemaining: 4 })
      expect((status2fa.json().slots as { used: boolean }[]).map((x) => x.used)).toEqual([
        false,
        false,
        true,
        false,
        false,
      ])
      const login = await onTeam(
        ['login', '--email', OWNER_EMAIL, '--backup-code', '-'],
        `${OWNER_PASSWORD}\n${backupCodes[0]}\n`,
      )
      expect(login.status, login.stderr).toBe(0)
      expect((await onTeam(['db', 'check', '--json'])).status).toBe(0)
      expect((await onFile(['db', 'check', '--json'], '')).status).toBe(0)
      const sent = await onTeam(
        ['sms', 'test', '--to', NUMBER, '--key-holder', '--json'],
        'the new team passphrase\n',
      )
      expect(sent.status, sent.stderr).toBe(0)
      expect(fake.messages.at(-1)!.to).toBe(NUMBER)
      // A second copy into the same database is refused: it is a team database already.
      const again = await tesseraAsync(['--db', file, 'db', 'copy', '--to', flag, '--key-holder'], {
        input: `${DB_PASSPHRASE}\n`,
        env: { ...fileEnv, PGPASSWORD: password, TESSERA_TEAM_PASSPHRASE: 'the new team passphrase' },
        file: true,
      })
      expect(again.status).toBe(7)
    })
  })
})
