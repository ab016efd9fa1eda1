import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { helpManifest, type HelpManifest } from '../../src/cli/help-manifest'
import { tempDir } from '../fixtures/temp'
import { baseEnv, ensureCliBuilt, ROOT } from './helpers'

/**
 * bin/tessera.mjs answers help from out/main/help.json (written at build) without loading the CLI; what
 * it prints must be, byte for byte, what the CLI itself prints. The CLI is run as `node out/main/cli.js`,
 * which bypasses the bin and its fast path.
 */

const HELP_JSON = join(ROOT, 'out/main/help.json')

interface Run {
  status: number | null
  stdout: string
  stderr: string
}

function node(script: string, args: string[], cwd = ROOT): Run {
  const r = spawnSync(process.execPath, [script, ...args], {
    cwd,
    // Not NODE_EXTRA_CA_CERTS: help needs no TLS, and reading the certificates adds ~70 ms to each run.
    env: baseEnv({ NODE_EXTRA_CA_CERTS: undefined }),
    input: '',
    encoding: 'utf8',
    timeout: 30_000,
  })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

const bin = (args: string[], root = ROOT): Run => node(join(root, 'bin/tessera.mjs'), args, root)
const fullCli = (args: string[]): Run => node(join(ROOT, 'out/main/cli.js'), args)

// The keys as the sources make them; the first test checks the built help.json has the same.
const source: HelpManifest = helpManifest()
const wordsOf = (key: string): string[] => (key === '' ? [] : key.split(' '))

beforeAll(async () => {
  await ensureCliBuilt()
  expect(existsSync(HELP_JSON), 'out/main/help.json is missing: run npx electron-vite build').toBe(true)
})

describe('tessera help from help.json', () => {
  it('help.json holds what the sources make, for every group and command', () => {
    const built = JSON.parse(readFileSync(HELP_JSON, 'utf8')) as HelpManifest
    expect(built).toEqual(source)
    expect(Object.keys(built.help).length).toBeGreaterThan(40)
    expect(built.help).toHaveProperty(['audit verify'])
    expect(built.help).toHaveProperty(['login'])
  })

  it.each(Object.keys(source.help))('"tessera %s --help" prints what the CLI prints', (key) => {
    const args = [...wordsOf(key), '--help']
    const fast = bin(args)
    const full = fullCli(args)
    expect(full.status).toBe(0)
    expect(fast).toEqual(full)
    expect(fast.stdout).toBe(source.help[key])
  })

  it.each([
    [['-h']],
    [['--version']],
    [['audit', 'export', '-h']],
    [['--help', 'audit', 'verify']],
    [['audit', '-h', 'verify']],
    [['users', 'import', '--help']],
  ])('"tessera %j" prints what the CLI prints', (args) => {
    const fast = bin(args)
    const full = fullCli(args)
    expect(full.status).toBe(0)
    expect(fast).toEqual(full)
  })

  it('leaves other forms to the CLI: --db, --json', () => {
    const main = source.help['']!
    expect(bin(['--db', 'x', '--help'])).toEqual({ status: 0, stdout: main, stderr: '' })
    expect(bin(['login', '--help', '--db', 'x'])).toEqual({
      status: 0,
      stdout: source.help.login,
      stderr: '',
    })
    const json = bin(['--help', '--json'])
    expect(json.status).toBe(0)
    expect(JSON.parse(json.stdout)).toEqual({ help: main.slice(0, -1) })
    const command = bin(['audit', 'verify', '--help', '--json'])
    expect(JSON.parse(command.stdout)).toEqual({ help: source.help['audit verify']!.slice(0, -1) })
    expect(JSON.parse(bin(['--version', '--json']).stdout)).toEqual({ version: source.version })
  })
})

describe('bin/tessera.mjs: which forms take the fast path', () => {
  // A copy of the built CLI whose help.json says FAST instead of the texts: an answer that starts with
  // FAST came from the fast path, anything else from the CLI.
  let t: ReturnType<typeof tempDir>
  const marked = (): HelpManifest => ({
    version: source.version,
    help: Object.fromEntries(Object.keys(source.help).map((k) => [k, `FAST ${k}\n`])),
    versionText: 'FAST version\n',
  })
  const writeManifest = (text: string): void => writeFileSync(join(t.dir, 'out/main/help.json'), text)

  beforeAll(() => {
    t = tempDir('tessera-help-fast-')
    mkdirSync(join(t.dir, 'out'))
    cpSync(join(ROOT, 'out/main'), join(t.dir, 'out/main'), { recursive: true })
    cpSync(join(ROOT, 'bin'), join(t.dir, 'bin'), { recursive: true })
    cpSync(join(ROOT, 'package.json'), join(t.dir, 'package.json'))
    symlinkSync(join(ROOT, 'node_modules'), join(t.dir, 'node_modules'), 'dir')
  })
  afterAll(() => t.cleanup())

  it.each([
    [['--help'], 'FAST \n'],
    [['-h'], 'FAST \n'],
    [['--version'], 'FAST version\n'],
    [['audit', '--help'], 'FAST audit\n'],
    [['audit', 'verify', '-h'], 'FAST audit verify\n'],
    [['-h', 'login'], 'FAST login\n'],
  ])('answers %j from help.json', (args, expected) => {
    writeManifest(JSON.stringify(marked()))
    expect(bin(args, t.dir)).toEqual({ status: 0, stdout: expected, stderr: '' })
  })

  it('answers every key of help.json from it', () => {
    writeManifest(JSON.stringify(marked()))
    for (const key of Object.keys(source.help))
      expect(bin([...wordsOf(key), '--help'], t.dir).stdout).toBe(`FAST ${key}\n`)
  })

  it.each([
    [['--help', '--json']],
    [['--db', 'x', '--help']],
    [['audit', 'verify', '--help', '--json']],
    [['--version', '--json']],
    [['--version', '--help']],
    [['--help', '--help']],
    [['-h', '--help']],
    [['--help=1']],
    [['--', '--help']],
    [['', '--help']],
    [['audit verify', '--help']],
    [['nosuch', '--help']],
    [['audit', 'shred', '--help']],
    [['constructor', '--help']],
    [['__proto__', '--help']],
    [['users', 'import', 'file.csv', '--help']],
    [['audit']],
    [[]],
  ])('leaves %j to the CLI', (args) => {
    writeManifest(JSON.stringify(marked()))
    const r = bin(args, t.dir)
    expect(r.stdout).not.toMatch(/^FAST/)
    expect(r).toEqual(fullCli(args))
  })

  it.each([
    ['missing', null],
    ['corrupt', '{"version":'],
    ['made for another version', JSON.stringify({ ...marked(), version: `${source.version}-other` })],
    ['without texts', JSON.stringify({ version: source.version })],
  ])('falls back to the CLI when help.json is %s', (_, text) => {
    if (text === null) rmSync(join(t.dir, 'out/main/help.json'), { force: true })
    else writeManifest(text)
    for (const args of [['--help'], ['audit', 'verify', '--help'], ['--version']]) {
      const full = fullCli(args)
      expect(full.status).toBe(0)
      expect(bin(args, t.dir)).toEqual(full)
    }
  })
})
