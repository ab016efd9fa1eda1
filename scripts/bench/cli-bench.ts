import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createKeytarKeychain } from '../../src/main/adapters/keychain'
import { readKeyInfo } from '../../src/main/db/keyinfo'
import { measure, type Figures } from './measure'

const ROOT = resolve(import.meta.dirname, '../..')
const BIN = join(ROOT, 'bin/tessera.mjs')
const SERVICE = 'Tessera-bench-cli'
const OWNER = { email: 'bench@example.com', name: 'Bench', password: 'amber-falcon-river-stone' }

/**
 * The environment of a user's shell, minus anything that would pick another database, and minus
 * NODE_EXTRA_CA_CERTS: Node 20 reads and parses that bundle before any script runs (about 40 ms a
 * process on our machines, where the sandbox sets it); none of the commands timed opens a TLS
 * connection. The start-up of Node with it is timed apart, for reference.
 */
function cliEnv(keep: { extraCaCerts?: boolean } = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TESSERA_KEYCHAIN_SERVICE: SERVICE }
  for (const name of ['TESSERA_DB', 'TESSERA_DATABASE_URL', 'TESSERA_DB_PASSPHRASE', 'TESSERA_TEST_FAST_KDF'])
    delete env[name]
  if (!keep.extraCaCerts) delete env['NODE_EXTRA_CA_CERTS']
  return env
}

function run(
  command: string,
  args: string[],
  stdin = '',
  env = cliEnv(),
): { status: number | null; stderr: string } {
  const r = spawnSync(command, args, { cwd: ROOT, env, input: stdin, encoding: 'utf8' })
  return { status: r.status, stderr: r.stderr }
}

function tessera(args: string[], stdin = ''): void {
  const r = run(process.execPath, [BIN, ...args], stdin)
  if (r.status !== 0) throw new Error(`tessera ${args.join(' ')} exited ${r.status}: ${r.stderr}`)
}

/**
 * The CLI's start-up, as a person at a shell sees it: a whole `node bin/tessera.mjs …` process, from
 * spawn to exit, on the built bundle (npm run build first). The database is a new one whose key is in
 * the OS keychain (run under scripts/with-keyring.sh on a machine without a desktop session); `status`
 * needs nobody, `users list --as` also signs the owner in (one Argon2id verify).
 */
export async function cliBench(runs = 20): Promise<Figures[]> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-cli-bench-'))
  const db = join(dir, 'bench.db')
  const rows: Figures[] = []
  try {
    rows.push(
      await measure('node -e 0 (Node alone, for reference)', runs, () => run(process.execPath, ['-e', '0'])),
    )
    if (process.env['NODE_EXTRA_CA_CERTS']) {
      const withCerts = cliEnv({ extraCaCerts: true })
      rows.push(
        await measure("node -e 0 with this shell's NODE_EXTRA_CA_CERTS (not in the rows below)", runs, () =>
          run(process.execPath, ['-e', '0'], '', withCerts),
        ),
      )
    }
    rows.push(await measure('tessera --help (target < 150 ms)', runs, () => tessera(['--help'])))
    rows.push(
      await measure('tessera users list --help (target < 150 ms)', runs, () =>
        tessera(['users', 'list', '--help']),
      ),
    )
    const init = run(
      process.execPath,
      [BIN, '--db', db, 'init', '--owner-email', OWNER.email, '--owner-name', OWNER.name],
      `${OWNER.password}\n`,
    )
    if (init.status !== 0) {
      console.log(
        `\nNo keychain database (tessera init exited ${init.status}: ${init.stderr.trim()}); run under scripts/with-keyring.sh.`,
      )
      return rows
    }
    rows.push(
      await measure('tessera status --json, keychain database (target < 300 ms)', runs, () =>
        tessera(['--db', db, 'status', '--json']),
      ),
    )
    rows.push(
      await measure('tessera users list --json --as (+ password check) (target < 300 ms)', runs, () =>
        tessera(['--db', db, 'users', 'list', '--json', '--as', OWNER.email], `${OWNER.password}\n`),
      ),
    )
    await createKeytarKeychain(SERVICE).delete(readKeyInfo(db).databaseId)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  return rows
}

/** One `npx tessera --help`, for reference: npx's own start-up comes before Tessera's. */
export function npxHelpMs(): number {
  const t0 = performance.now()
  const r = run('npx', ['tessera', '--help'])
  if (r.status !== 0) throw new Error(`npx tessera --help exited ${r.status}: ${r.stderr}`)
  return performance.now() - t0
}
