// Compiles a native addon against Electron's headers with node-gyp, for npm start (scripts/start.mjs).
// node-gyp's output goes to a log file rather than the terminal, so that a failure can be told in one
// sentence: above all the common one, Electron's headers not downloadable from this machine.
import { execFileSync, spawnSync } from 'node:child_process'
import { closeSync, existsSync, openSync, readFileSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'

export const ELECTRON_HEADERS_URL = 'https://electronjs.org/headers'

/**
 * node-gyp as npm ships it. (npm 11 no longer hands npm_config_runtime and friends to node-gyp through
 * `npm rebuild`, so node-gyp is called directly with the target spelled out.)
 */
export function findNodeGyp(env = process.env) {
  const inNpm = (npmDir) => join(npmDir, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js')
  if (env.npm_execpath && existsSync(inNpm(join(dirname(env.npm_execpath), '..')))) {
    return inNpm(join(dirname(env.npm_execpath), '..'))
  }
  try {
    const found = inNpm(join(execFileSync('npm', ['root', '-g'], { encoding: 'utf8' }).trim(), 'npm'))
    return existsSync(found) ? found : undefined
  } catch {
    return undefined // no npm on PATH: npx then
  }
}

/**
 * Whether node-gyp's output shows that it failed while fetching the headers: its install step rolls
 * back after any download error (refused, unresolved, timed out) and names an HTTP error status.
 */
export function headersDownloadFailed(output) {
  return (
    /gyp WARN install got an error, rolling back install/.test(output) ||
    /\d{3} response downloading /.test(output)
  )
}

/**
 * Runs `node-gyp rebuild` for Electron `electronVersion` in `moduleDir`, appending its output to
 * `logFile`. Returns { ok: true }, or { ok: false, headersUnavailable } where headersUnavailable says the
 * failure was the download of Electron's headers.
 */
export function rebuildForElectron({
  moduleDir,
  electronVersion,
  logFile,
  distUrl = ELECTRON_HEADERS_URL,
  devdir,
  nodeGyp = findNodeGyp(),
  env = process.env,
}) {
  const args = [
    'rebuild',
    '--release',
    '--runtime=electron',
    `--target=${electronVersion}`,
    `--dist-url=${distUrl}`,
    ...(devdir ? [`--devdir=${devdir}`] : []),
  ]
  const [cmd, cmdArgs] = nodeGyp
    ? [process.execPath, [nodeGyp, ...args]]
    : ['npx', ['--yes', 'node-gyp', ...args]]
  const logStart = existsSync(logFile) ? statSync(logFile).size : 0
  const log = openSync(logFile, 'a')
  let result
  try {
    result = spawnSync(cmd, cmdArgs, {
      cwd: moduleDir,
      // A machine-wide `nodedir` (set for building against Node) would make node-gyp use Node's headers.
      env: { ...env, npm_config_nodedir: '' },
      stdio: ['ignore', log, log],
    })
  } finally {
    closeSync(log)
  }
  if (result.status === 0) return { ok: true }
  const output = readFileSync(logFile).subarray(logStart).toString('utf8')
  return { ok: false, headersUnavailable: headersDownloadFailed(output) }
}
