#!/usr/bin/env node
// npm start: build the app, make Electron-ABI copies of the native addons (better-sqlite3-multiple-ciphers,
// keytar) in .electron-native/ — apart from node_modules, whose Node-ABI builds the tests and the CLI
// use — and open the window. Needs what Electron itself needs: its binary and headers, downloaded once.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'

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
      { name: 'tessera-electron-native', private: true, dependencies: JSON.parse(wanted) },
      null,
      2,
    ),
  )
  // Electron's documented way to build addons with npm: target Electron's runtime and headers.
  run('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock'], {
    cwd: nativeRoot,
    env: {
      ...process.env,
      npm_config_runtime: 'electron',
      npm_config_target: electronVersion,
      npm_config_disturl: 'https://electronjs.org/headers',
      npm_config_build_from_source: 'true',
    },
  })
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
