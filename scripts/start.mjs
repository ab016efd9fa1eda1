#!/usr/bin/env node
// npm start: build the app, make Electron-ABI copies of the native addons (better-sqlite3-multiple-ciphers,
// keytar) in .electron-native/ — apart from node_modules, whose Node-ABI builds the tests and the CLI
// use — and open the window. Needs what Electron itself needs: its binary and headers, downloaded once.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { ELECTRON_HEADERS_URL, rebuildForElectron } from './electron-native.mjs'

const root = join(import.meta.dirname, '..')
const require = createRequire(import.meta.url)
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
const electronVersion = pkg.devDependencies.electron
const nativeModules = ['better-sqlite3-multiple-ciphers', 'keytar']

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts })
  if (r.status !== 0) {
    console.error(`\n"${cmd} ${args.join(' ')}" failed (exit ${r.status ?? r.signal}).`)
    process.exit(r.status ?? 1)
  }
}

run('npx', ['electron-vite', 'build'])

const nativeRoot = join(root, '.electron-native', electronVersion)
const stamp = join(nativeRoot, 'built.json')
const wanted = JSON.stringify(Object.fromEntries(nativeModules.map((m) => [m, pkg.dependencies[m]])))
if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== wanted) {
  console.log(`Building native addons for Electron ${electronVersion} in ${nativeRoot} …`)
  mkdirSync(nativeRoot, { recursive: true })
  writeFileSync(
    join(nativeRoot, 'package.json'),
    JSON.stringify(
      {
        name: 'tessera-electron-native',
        private: true,
        dependencies: JSON.parse(wanted),
      },
      null,
      2,
    ),
  )
  run('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', '--ignore-scripts'], {
    cwd: nativeRoot,
  })
  // Compile each addon against Electron's headers. node-gyp's output goes to a log: when it fails, one
  // sentence says why, and the log holds the details.
  const logFile = join(nativeRoot, 'node-gyp.log')
  writeFileSync(logFile, '')
  for (const m of nativeModules) {
    console.log(`Compiling ${m} (node-gyp's output: ${logFile}) …`)
    const built = rebuildForElectron({
      moduleDir: join(nativeRoot, 'node_modules', m),
      electronVersion,
      logFile,
    })
    if (built.ok) continue
    console.error(
      built.headersUnavailable
        ? `Electron ${electronVersion}'s headers could not be downloaded from ${ELECTRON_HEADERS_URL}, and the native addons cannot be built for Electron without them (node-gyp's output: ${logFile}).`
        : `Building ${m} for Electron ${electronVersion} failed (node-gyp's output: ${logFile}).`,
    )
    process.exit(1)
  }
  const addons = [
    join(nativeRoot, 'node_modules/better-sqlite3-multiple-ciphers/build/Release/better_sqlite3.node'),
    join(nativeRoot, 'node_modules/keytar/build/Release/keytar.node'),
  ]
  // An addon that loads in this Node was built for Node's ABI, not Electron's.
  const loadsInNode = (f) => {
    try {
      require(f)
      return true
    } catch {
      return false
    }
  }
  const missing = addons.filter((f) => !existsSync(f) || loadsInNode(f))
  if (missing.length > 0) {
    console.error(
      `The native addons were not built for Electron ${electronVersion}: ${missing.join(', ')} missing.`,
    )
    console.error(
      "Building them needs Electron's headers (downloaded from electronjs.org) and a C++ toolchain.",
    )
    process.exit(1)
  }
  writeFileSync(stamp, wanted)
}

let electronBinary
try {
  // From Node, `require('electron')` is the path of the binary (fetched on first use).
  electronBinary = require('electron')
} catch (e) {
  console.error(`The Electron binary is not available on this machine: ${e.message}`)
  console.error('Everything else works without it: the CLI (npx tessera --help) and the tests (npm test).')
  process.exit(1)
}
const r = spawnSync(electronBinary, ['.'], {
  stdio: 'inherit',
  cwd: root,
  env: { ...process.env, TESSERA_NATIVE_DIR: join(nativeRoot, 'node_modules') },
})
process.exit(r.status ?? 0)
