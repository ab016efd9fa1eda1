#!/usr/bin/env node
import { existsSync, readFileSync } from 'node:fs'

const cli = new URL('../out/main/cli.js', import.meta.url)
if (!existsSync(cli)) {
  console.error("Tessera's CLI is not built: run npm run build")
  process.exit(1)
}

/**
 * The fast path: `tessera [WORDS…] --help|-h` and `tessera --version` answered from out/main/help.json,
 * which the build writes from the CLI's own help functions (src/cli/help-manifest.ts), without loading
 * cli.js and its zod schemas. Returns undefined, and the CLI runs as usual, for anything else: another
 * flag (--json, --db…), words that are not a command, a help.json missing, unreadable or made for another
 * version of package.json.
 */
function fastAnswer(argv) {
  const version = argv.length === 1 && argv[0] === '--version'
  const words = argv.filter((a) => a !== '--help' && a !== '-h')
  // One help flag, and words as main.ts would find them: none empty, none a flag, none holding a space.
  if (!version && argv.length - words.length !== 1) return undefined
  if (!version && words.some((w) => w === '' || w.startsWith('-') || w.includes(' '))) return undefined
  try {
    const manifest = JSON.parse(readFileSync(new URL('../out/main/help.json', import.meta.url), 'utf8'))
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
    if (manifest.version !== (pkg.version ?? 'unknown')) return undefined
    if (version) return typeof manifest.versionText === 'string' ? manifest.versionText : undefined
    const key = words.join(' ')
    const text = Object.hasOwn(manifest.help, key) ? manifest.help[key] : undefined
    return typeof text === 'string' ? text : undefined
  } catch {
    return undefined
  }
}

const answer = fastAnswer(process.argv.slice(2))
if (answer !== undefined) process.stdout.write(answer)
else await import(cli.href)
