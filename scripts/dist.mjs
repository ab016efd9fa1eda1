#!/usr/bin/env node
// npm run dist: build the app, then package it for this OS with electron-builder (electron-builder.ts);
// extra arguments go to electron-builder (npm run dist -- --linux deb). Packaging downloads Electron and
// its headers, so it needs a machine with access to Electron's downloads.
//
// electron-builder rebuilds the native addons for Electron's ABI in place, in node_modules. The tests and
// the CLI load those same files under Node, so they are rebuilt for Node afterwards, whatever happened.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..')
const nativeModules = ['better-sqlite3-multiple-ciphers', 'keytar']

function run(cmd, args, env = process.env) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, env })
  if (r.status !== 0) console.error(`\n"${cmd} ${args.join(' ')}" failed (exit ${r.status ?? r.signal}).`)
  return r.status ?? 1
}

let status = run('npx', ['electron-vite', 'build'])
if (status === 0) {
  // A machine-wide `nodedir` (set for building against Node) would make node-gyp use Node's headers
  // for the Electron build too.
  const electronEnv = { ...process.env, npm_config_nodedir: '' }
  status = run(
    'npx',
    ['electron-builder', '--config', 'electron-builder.ts', ...process.argv.slice(2)],
    electronEnv,
  )
  console.log(`\nRebuilding ${nativeModules.join(' and ')} for Node (tests and CLI) …`)
  const restored = run('npm', ['rebuild', ...nativeModules])
  if (restored !== 0) {
    console.error(`Run "npm rebuild ${nativeModules.join(' ')}" before the tests or the CLI.`)
    status ||= restored
  }
}
process.exit(status)
