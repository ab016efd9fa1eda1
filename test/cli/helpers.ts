import { sqlRun } from '../fixtures/sql'
import { spawn, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { createKeytarKeychain } from '../../src/main/adapters/keychain'
import { openDatabase, type OpenedDatabase } from '../../src/main/db/open'
import { openTeamDatabase } from '../../src/main/db/postgres/open'
import { teamOpened } from '../../src/main/core/team'
import { adminUrl, onPostgres, TEST_DATABASE_PREFIX } from '../fixtures/engine'

export const ROOT = resolve(import.meta.dirname, '../..')
const BUNDLE = join(ROOT, 'out/main/cli.js')
const BIN = join(ROOT, 'bin/tessera.mjs')
const LOCK = join(ROOT, 'out/.cli-test-build.lock')

export const OWNER_EMAIL = 'ada.lovelace@example.com'
export const OWNER_NAME = 'Ada Lovelace'
export const OWNER_PASSWORD = 'Tessera-Owner-Pw-4821'
export const DB_PASSPHRASE = 'correct horse battery staple 77'

function newestSourceTime(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !/\.ts$/.test(entry.name) || entry.name.endsWith('.test.ts')) continue
    newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs)
  }
  return newest
}

const bundleIsFresh = (): boolean =>
  existsSync(BUNDLE) &&
  statSync(BUNDLE).mtimeMs >=
    Math.max(...['src/cli', 'src/main', 'src/shared'].map((d) => newestSourceTime(join(ROOT, d))))

/**
 * The tests run the real bundle, so it must match the sources. Test files run in parallel workers: the
 * first to find the bundle stale builds it under a lock directory while the others wait.
 */
export async function ensureCliBuilt(): Promise<void> {
  for (let waited = 0; !bundleIsFresh(); waited += 200) {
    try {
      mkdirSync(LOCK, { recursive: false })
    } catch {
      // A lock left by a run that was killed mid-build.
      if (Date.now() - (statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 120_000)
        rmSync(LOCK, { recursive: true, force: true })
      else if (waited > 120_000)
        throw new Error(`Timed out waiting for another build (remove ${LOCK} if stale)`)
      await sleep(200)
      continue
    }
    try {
      const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: ROOT, encoding: 'utf8' })
      if (build.status !== 0) throw new Error(`electron-vite build failed:\n${build.stdout}\n${build.stderr}`)
    } finally {
      rmSync(LOCK, { recursive: true, force: true })
    }
  }
}

export interface CliRun {
  status: number | null
  stdout: string
  stderr: string
  json(): Record<string, unknown>
}

/** Everything every run printed in this worker, so a test can assert no secret ever appeared. */
export const allOutput: string[] = []

/** An environment with nothing from the developer's shell that would change which database is used. */
export function baseEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TESSERA_TEST_FAST_KDF: '1', ...extra }
  for (const name of ['TESSERA_DB', 'TESSERA_DB_PASSPHRASE', 'TESSERA_DEBUG', 'TESSERA_KEYCHAIN_SERVICE']) {
    if (!(name in extra)) delete env[name]
  }
  for (const [k, v] of Object.entries(extra)) if (v === undefined) delete env[k]
  return env
}

const createdTeamDatabases = new Set<string>()

/** The team database that stands for a database file path on a PostgreSQL test run (made on first use). */
export function teamUrlForPath(path: string): string {
  // Named after this process too, like every test database: a run beside this one keeps its hands off it.
  const name = `${TEST_DATABASE_PREFIX}${process.pid}_cli_${createHash('sha256').update(resolve(path)).digest('hex').slice(0, 16)}`
  if (!createdTeamDatabases.has(name)) {
    const r = spawnSync(
      process.execPath,
      [
        '-e',
        `const pg = require('pg'); const c = new pg.Client({ connectionString: process.argv[1] });
         c.connect().then(() => c.query('CREATE DATABASE ' + process.argv[2])).then(() => c.end(), (e) => { console.error(e.message); process.exit(1) })`,
        adminUrl(),
        name,
      ],
      { cwd: ROOT, encoding: 'utf8' },
    )
    if (r.status !== 0) throw new Error(`cannot create ${name}: ${r.stderr}`)
    createdTeamDatabases.add(name)
  }
  const u = new URL(adminUrl())
  u.pathname = `/${name}`
  return u.toString()
}

/**
 * On a PostgreSQL test run, a command given `--db PATH` runs on the team database that stands for that
 * path instead (TESSERA_DATABASE_URL), its team passphrase being the tests' database passphrase; a
 * file's `--key-store` has no meaning there and is dropped.
 */
function onEngine(args: string[], env: NodeJS.ProcessEnv): { args: string[]; env: NodeJS.ProcessEnv } {
  if (!onPostgres) return { args, env }
  const at = args.indexOf('--db')
  if (at < 0) return { args, env }
  const path = args[at + 1]!
  const rest = args.filter((_, i) => i !== at && i !== at + 1)
  const ks = rest.indexOf('--key-store')
  const without = ks < 0 ? rest : rest.filter((_, i) => i !== ks && i !== ks + 1)
  return {
    args: without,
    env: { ...env, TESSERA_DATABASE_URL: teamUrlForPath(path), TESSERA_TEAM_PASSPHRASE: DB_PASSPHRASE },
  }
}

export function tessera(
  args: string[],
  options: { input?: string; env?: NodeJS.ProcessEnv; file?: boolean } = {},
): CliRun {
  // `file`: on a database file whatever the engine of the run (a copy's source).
  const run = options.file
    ? { args, env: options.env ?? baseEnv() }
    : onEngine(args, options.env ?? baseEnv())
  const r = spawnSync(process.execPath, [BIN, ...run.args], {
    cwd: ROOT,
    input: options.input ?? '',
    env: run.env,
    encoding: 'utf8',
    timeout: 30_000,
  })
  allOutput.push(r.stdout, r.stderr)
  return {
    status: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    json: () => JSON.parse(r.stdout) as Record<string, unknown>,
  }
}

/** The running process itself, on the run's engine: for a test that kills it part-way. */
export function tesseraProcess(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}) {
  const run = onEngine(args, options.env ?? baseEnv())
  const child = spawn(process.execPath, [BIN, ...run.args], { cwd: ROOT, env: run.env })
  child.stdin.end(options.input ?? '')
  return child
}

/** Like `tessera`, without waiting: for runs that must overlap, such as two logins racing. */
export function tesseraAsync(
  args: string[],
  options: { input?: string; env?: NodeJS.ProcessEnv; file?: boolean } = {},
): Promise<CliRun> {
  const run = options.file
    ? { args, env: options.env ?? baseEnv() }
    : onEngine(args, options.env ?? baseEnv())
  const child = spawn(process.execPath, [BIN, ...run.args], { cwd: ROOT, env: run.env })
  const stdout: Buffer[] = []
  const stderr: Buffer[] = []
  child.stdout.on('data', (c: Buffer) => stdout.push(c))
  child.stderr.on('data', (c: Buffer) => stderr.push(c))
  child.stdin.end(options.input ?? '')
  const timer = setTimeout(() => child.kill(), 30_000)
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (status) => {
      clearTimeout(timer)
      const out = Buffer.concat(stdout).toString('utf8')
      const err = Buffer.concat(stderr).toString('utf8')
      allOutput.push(out, err)
      resolve({ status, stdout: out, stderr: err, json: () => JSON.parse(out) as Record<string, unknown> })
    })
  })
}

export const sha256File = (path: string): string =>
  createHash('sha256').update(readFileSync(path)).digest('hex')

/** Opens a passphrase-protected test database in this process, to tamper with it as an attacker would. */
export async function openForTampering(dbPath: string): Promise<OpenedDatabase> {
  const sources = { keychain: createKeytarKeychain('Tessera-unused'), passphrase: () => DB_PASSPHRASE }
  return onPostgres
    ? teamOpened(await openTeamDatabase(teamUrlForPath(dbPath), sources))
    : openDatabase(dbPath, sources)
}

/**
 * Administrative and agent commands run as a person: `--as EMAIL`, with that person's password as the
 * first line of stdin (then their second factor, when they have 2FA, then whatever the command reads).
 */
export const AS_OWNER = ['--as', OWNER_EMAIL]

/** Stdin for a command run `--as` the owner (who has no 2FA unless a test turns it on): the password, then `lines`. */
export const ownerStdin = (...lines: string[]): string =>
  [OWNER_PASSWORD, ...lines].map((l) => `${l}\n`).join('')

/**
 * `sms config` arguments that send SMS through the real twilio client to a Twilio-shaped server (its
 * Account SID and address; the token goes on stdin after the actor's lines).
 */
export const twilioConfigArgs = (
  fake: { accountSid: string; baseUrl: string },
  opts: { from?: string; apiBaseUrl?: string } = {},
): string[] => [
  'sms',
  'config',
  '--provider',
  'twilio',
  '--account-sid',
  fake.accountSid,
  '--from',
  opts.from ?? '+15005550006',
  '--api-base-url',
  opts.apiBaseUrl ?? fake.baseUrl,
]

/** The emergency mode: `--key-holder`, with the database passphrase as the first line of stdin. */
export const KEY_HOLDER = ['--key-holder']
export const keyHolderStdin = (...lines: string[]): string =>
  [DB_PASSPHRASE, ...lines].map((l) => `${l}\n`).join('')

/**
 * Moves the start of these accounts (created, invited, activated) `days` into the past, as if they were
 * made that long ago: the two-person rule counts only approvers older than 7 days, which a fresh test
 * database cannot have with the real clock.
 */
export async function ageAccounts(dbPath: string, emails: readonly string[], days = 8): Promise<void> {
  const { db } = await openForTampering(dbPath)
  try {
    const ms = days * 24 * 60 * 60_000
    for (const email of emails) {
      const changed = await sqlRun(
        db,
        `UPDATE users SET created_at = created_at - ?, invited_at = invited_at - ?,
           activated_at = activated_at - ? WHERE email = ?`,
        ms,
        ms,
        ms,
        email,
      )
      if (changed !== 1) throw new Error(`no user ${email} to age`)
    }
  } finally {
    await db.close()
  }
}

/** A database created through the CLI in passphrase mode, with the owner; returns the env to reuse. */
export function initPassphraseDb(dbPath: string): NodeJS.ProcessEnv {
  const env = baseEnv({ TESSERA_DB_PASSPHRASE: DB_PASSPHRASE })
  const r = tessera(
    [
      '--db',
      dbPath,
      'init',
      '--owner-email',
      OWNER_EMAIL,
      '--owner-name',
      OWNER_NAME,
      '--key-store',
      'passphrase',
    ],
    { input: `${OWNER_PASSWORD}\n`, env },
  )
  if (r.status !== 0) throw new Error(`init failed (${r.status}): ${r.stderr}`)
  return env
}

/** One event of `tessera audit export --format jsonl`. */
export interface ExportedEvent {
  seq: number
  type: string
  actorId: number | null
  subjectId: number | null
  data: Record<string, unknown>
}

/**
 * The whole audit trail, as `tessera audit export --format jsonl` prints it — exported as the key
 * holder (the passphrase on stdin), so reading it needs nobody's password or app code.
 */
export function auditEvents(db: string, env: NodeJS.ProcessEnv): ExportedEvent[] {
  return tessera(['--db', db, 'audit', 'export', '--format', 'jsonl', '--key-holder'], {
    env,
    input: `${DB_PASSPHRASE}\n`,
  })
    .stdout.trim()
    .split('\n')
    .map((l) => JSON.parse(l) as ExportedEvent)
}
