import { onPostgres } from '../fixtures/engine'
import { randomUUID } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createKeytarKeychain } from '../../src/main/adapters/keychain'
import { readKeyInfo } from '../../src/main/db/keyinfo'
import { LATEST_SCHEMA_VERSION } from '../../src/main/db/migrations'
import { exitCodeTable } from '../../src/cli/exit-codes'
import { tempDir } from '../fixtures/temp'
import {
  allOutput,
  baseEnv,
  DB_PASSPHRASE,
  ensureCliBuilt,
  initPassphraseDb,
  OWNER_EMAIL,
  OWNER_NAME,
  OWNER_PASSWORD,
  ROOT,
  tessera,
} from './helpers'

const initArgs = (db: string, ...extra: string[]): string[] => [
  '--db',
  db,
  'init',
  '--owner-email',
  OWNER_EMAIL,
  '--owner-name',
  OWNER_NAME,
  ...extra,
]

function expectFullStatus(status: Record<string, unknown>, keyStore: string): void {
  expect(status).toMatchObject({ schemaVersion: LATEST_SCHEMA_VERSION, userCount: 1, keyStore })
  expect(status.cipher).toMatch(/sqlcipher/)
  expect(status.auditEventCount).toBeGreaterThanOrEqual(1)
  expect(status.auditHeadHash).toMatch(/^[0-9a-f]{64}$/)
}

// Creating a database file; init --database-url is in team.test.ts.
describe.skipIf(onPostgres)('tessera init and status', () => {
  let t: ReturnType<typeof tempDir>
  let db: string
  beforeAll(ensureCliBuilt)
  beforeEach(() => {
    t = tempDir()
    db = join(t.dir, 'tessera.db')
  })
  afterEach(() => t.cleanup())
  afterAll(() => {
    for (const out of allOutput) expect(out).not.toContain(OWNER_PASSWORD)
    for (const out of allOutput) expect(out).not.toContain(DB_PASSPHRASE)
  })

  it('creates a passphrase-protected database and its owner, and status describes it', () => {
    const env = initPassphraseDb(db)
    const human = tessera(['--db', db, 'status'], { env })
    expect(human.status).toBe(0)
    expect(human.stdout).toMatch(new RegExp(`Schema\\s+version ${LATEST_SCHEMA_VERSION}\n`))
    expect(human.stdout).toMatch(/Users\s+1/)
    expect(human.stdout).toMatch(/Key store\s+passphrase/)
    expect(human.stdout).toMatch(/Audit head\s+[0-9a-f]{64}/)
    const json = tessera(['status', '--json', '--db', db], { env })
    expect(json.status).toBe(0)
    expect(json.stderr).toBe('')
    expectFullStatus(json.json(), 'passphrase')
  })

  it('creates a keychain-protected database under the keychain service the environment names', async () => {
    const service = `Tessera-test-${randomUUID()}`
    const env = baseEnv({ TESSERA_KEYCHAIN_SERVICE: service })
    const init = tessera([...initArgs(db), '--json'], { input: `${OWNER_PASSWORD}\n`, env })
    expect(init.status).toBe(0)
    expect(init.json()).toMatchObject({
      created: true,
      owner: { email: OWNER_EMAIL, name: OWNER_NAME, role: 'owner' },
    })
    const status = tessera(['--db', db, 'status', '--json'], { env })
    expect(status.status).toBe(0)
    expectFullStatus(status.json(), 'keychain')
    // The key is where the variable said, and nowhere on disk.
    const keychain = createKeytarKeychain(service)
    const { databaseId } = readKeyInfo(db)
    const key = await keychain.get(databaseId)
    expect(key).toMatch(/^[0-9a-f]{64}$/)
    await keychain.delete(databaseId)
  })

  it.each([
    ['a common password', 'qwerty123456789', /common passwords/],
    ['a short password', 'short', /at least 15 characters/],
    // The owner signs in with the password alone until 2FA is on: 12 characters are not enough.
    ['a password of 14 characters', 'Orchard-Lad-93', /at least 15 characters/],
    ['a password containing the email', 'my-ada.lovelace-password', /email/],
  ])('refuses %s with WEAK_PASSWORD and leaves no file', (_label, password, message) => {
    const env = baseEnv({ TESSERA_DB_PASSPHRASE: DB_PASSPHRASE })
    const r = tessera(initArgs(db, '--key-store', 'passphrase'), { input: `${password}\n`, env })
    expect(r.status).toBe(6)
    expect(r.stderr).toMatch(/Weak password/)
    expect(r.stderr).toMatch(message)
    expect(readdirSync(t.dir)).toEqual([])
  })

  it('refuses a second init on the same path (exit 7) and leaves the database as it was', () => {
    const env = initPassphraseDb(db)
    const before = readFileSync(db)
    const r = tessera(initArgs(db, '--key-store', 'passphrase'), { input: `${OWNER_PASSWORD}\n`, env })
    expect(r.status).toBe(7)
    expect(r.stderr).toMatch(/already exists/)
    expect(readFileSync(db).equals(before)).toBe(true)
  })

  it('names the flag when an input is invalid (exit 2), before reading any secret', () => {
    const env = baseEnv({ TESSERA_DB_PASSPHRASE: DB_PASSPHRASE })
    const badEmail = tessera(['--db', db, 'init', '--owner-email', 'not-an-email', '--owner-name', 'Ada'], {
      env,
    })
    expect(badEmail.status).toBe(2)
    expect(badEmail.stderr).toMatch(/--owner-email: Enter a valid email address/)
    const badName = tessera(['--db', db, 'init', '--owner-email', OWNER_EMAIL, '--owner-name', '   '], {
      env,
    })
    expect(badName.status).toBe(2)
    expect(badName.stderr).toMatch(/--owner-name: Enter a name/)
    const badStore = tessera(initArgs(db, '--key-store', 'floppy'), { env })
    expect(badStore.status).toBe(2)
    expect(badStore.stderr).toMatch(/--key-store must be one of: keychain, passphrase/)
    const missing = tessera(['--db', db, 'init', '--owner-name', 'Ada'], { env })
    expect(missing.status).toBe(2)
    expect(missing.stderr).toMatch(/--owner-email is required/)
    expect(existsSync(db)).toBe(false)
  })

  it('needs the owner password on stdin and the passphrase in TESSERA_DB_PASSPHRASE', () => {
    const noPassword = tessera(initArgs(db, '--key-store', 'passphrase'), {
      input: '',
      env: baseEnv({ TESSERA_DB_PASSPHRASE: DB_PASSPHRASE }),
    })
    expect(noPassword.status).toBe(2)
    expect(noPassword.stderr).toMatch(/No owner password on stdin/)
    const noPassphrase = tessera(initArgs(db, '--key-store', 'passphrase'), { input: `${OWNER_PASSWORD}\n` })
    expect(noPassphrase.status).toBe(14)
    expect(noPassphrase.stderr).toMatch(/TESSERA_DB_PASSPHRASE/)
    const shortPassphrase = tessera(initArgs(db, '--key-store', 'passphrase'), {
      input: `${OWNER_PASSWORD}\n`,
      env: baseEnv({ TESSERA_DB_PASSPHRASE: 'too short' }),
    })
    expect(shortPassphrase.status).toBe(2)
    expect(shortPassphrase.stderr).toMatch(
      /TESSERA_DB_PASSPHRASE: Use a passphrase of at least 12 characters/,
    )
    expect(readdirSync(t.dir)).toEqual([])
  })

  it('reports an unreachable keychain at init (exit 13) and creates nothing', () => {
    const env = baseEnv({
      DBUS_SESSION_BUS_ADDRESS: undefined,
      DISPLAY: undefined,
      TESSERA_IN_KEYRING: undefined,
    })
    const r = tessera(initArgs(db), { input: `${OWNER_PASSWORD}\n`, env })
    expect(r.status).toBe(13)
    expect(r.stderr).toMatch(/keychain is not available/)
    expect(readdirSync(t.dir)).toEqual([])
  })
})

describe('tessera help, version and argv hygiene', () => {
  beforeAll(ensureCliBuilt)

  it.each([
    [
      ['--help'],
      ['init', 'status', 'login', 'audit verify', 'audit export', 'db check', '--db', '--json', '--version'],
    ],
    [['-h'], ['init', 'status']],
    [
      ['init', '--help'],
      ['--owner-email', '--owner-name', '--key-store', 'TESSERA_DB_PASSPHRASE', 'Stdin'],
    ],
    [
      ['status', '--help'],
      ['--db', '--json'],
    ],
    [
      ['login', '--help'],
      ['--email', 'Stdin'],
    ],
    [
      ['audit', '--help'],
      ['verify', 'export'],
    ],
    [
      ['audit', 'verify', '--help'],
      ['--db', '--json'],
    ],
    [
      ['audit', 'export', '-h'],
      ['--format', 'jsonl', 'csv', '--output'],
    ],
    [['db', '--help'], ['check']],
    [
      ['db', 'check', '--help'],
      ['integrity_check', 'foreign_key_check'],
    ],
  ])('tessera %j shows help with its flags', (args, mentions) => {
    const r = tessera(args)
    expect(r.status).toBe(0)
    for (const m of mentions) expect(r.stdout).toContain(m)
  })

  it('prints the version from package.json', () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }
    const r = tessera(['--version'])
    expect(r.status).toBe(0)
    expect(r.stdout.trim()).toBe(version)
  })

  it.each([
    ['--password', 'Hunter2-Secret-Value'],
    ['--password=Hunter2-Secret-Value'],
    ['--owner-password', 'Hunter2-Secret-Value'],
    ['--passphrase', 'Hunter2-Secret-Value'],
  ])('refuses a secret in argv (%s) without echoing it', (...flag) => {
    const r = tessera(['login', '--email', OWNER_EMAIL, ...flag])
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/never taken from the command line.*stdin/s)
    expect(r.stdout + r.stderr).not.toContain('Hunter2-Secret-Value')
  })

  it('does not echo a stray argument, which may be a password typed in the wrong place', () => {
    const r = tessera(['login', '--email', OWNER_EMAIL, 'Hunter2-Secret-Value'])
    expect(r.status).toBe(2)
    expect(r.stdout + r.stderr).not.toContain('Hunter2-Secret-Value')
  })

  it('rejects unknown commands and options with exit 2, as one JSON object with --json', () => {
    expect(tessera(['frobnicate']).status).toBe(2)
    expect(tessera(['audit']).status).toBe(2)
    expect(tessera(['audit', 'shred']).status).toBe(2)
    expect(tessera([]).status).toBe(2)
    const r = tessera(['status', '--verbose', '--json'])
    expect(r.status).toBe(2)
    expect(r.stderr).toBe('')
    expect(r.json()).toEqual({
      error: {
        code: 'USAGE',
        reason: 'UNKNOWN_OPTION',
        message: expect.stringMatching(/--verbose/) as unknown,
      },
    })
  })

  it('never loads electron: the CLI bundle and the chunks it imports do not reference it', () => {
    const seen = new Set<string>()
    const visit = (file: string): void => {
      if (seen.has(file)) return
      seen.add(file)
      const code = readFileSync(file, 'utf8')
      expect(code, file).not.toMatch(
        /from\s*["']electron["']|require\(["']electron["']\)|import\(["']electron["']\)/,
      )
      for (const m of code.matchAll(/from\s*"(\.\/[^"]+)"/g)) visit(join(dirname(file), m[1]!))
    }
    visit(join(ROOT, 'out/main/cli.js'))
    expect(seen.size).toBeGreaterThan(1)
  })

  it('documents every exit code in docs/cli.md', () => {
    const doc = readFileSync(join(ROOT, 'docs/cli.md'), 'utf8')
    for (const { code, name } of exitCodeTable)
      expect(doc).toMatch(new RegExp(`\\|\\s*${code}\\s*\\|\\s*\`?${name}\`?\\s*\\|`))
  })
})
