import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config'
import { DebugLogger } from 'builder-util'
import type { Configuration, TargetConfiguration } from 'electron-builder'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import config from '../../electron-builder'

// Packaging downloads Electron, which these machines cannot: the configuration is checked as written.

const root = join(import.meta.dirname, '../..')
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  main: string
  scripts: Record<string, string>
  dependencies: Record<string, string>
  devDependencies: Record<string, string>
}

type Targets = string | (string | TargetConfiguration)[] | TargetConfiguration | null | undefined
const targetNames = (targets: Targets): string[] =>
  [targets ?? []].flat().map((t) => (typeof t === 'string' ? t : t.target))

const asList = <T>(value: T | T[] | null | undefined): T[] => (value == null ? [] : ([value].flat() as T[]))

describe('electron-builder configuration', () => {
  it('is accepted by electron-builder itself: loaded from the file and validated against its schema', async () => {
    const loaded = await getConfig(root, 'electron-builder.ts', null)
    await expect(validateConfiguration(loaded, new DebugLogger(false))).resolves.toBeUndefined()
    expect(loaded.appId).toBe(config.appId)
  })

  it('builds AppImage and .deb on Linux, an NSIS installer on Windows and a dmg on macOS', () => {
    expect(targetNames(config.linux?.target).sort()).toEqual(['AppImage', 'deb'])
    expect(targetNames(config.win?.target)).toEqual(['nsis'])
    expect(targetNames(config.mac?.target)).toEqual(['dmg'])
  })

  it('names the app with its own id and product name', () => {
    expect(config.appId).toBe('org.tessera.console')
    expect(config.productName).toBe('Tessera')
  })

  it('flips the fuses: no RunAsNode, NODE_OPTIONS or --inspect; cookie encryption, ASAR integrity, ASAR only', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    })
  })

  it('packs the app into an ASAR archive on every platform (OnlyLoadAppFromAsar needs one)', () => {
    expect(config.asar).toBe(true)
    for (const platform of [config.linux, config.win, config.mac]) expect(platform?.asar).not.toBe(false)
  })

  it('rebuilds the native addons for Electron through electron-builder and unpacks them from the archive', () => {
    expect(config.npmRebuild).toBe(true)
    expect(config.beforeBuild).toBeUndefined() // a beforeBuild resolving to false would skip the rebuild
    expect(asList(config.asarUnpack)).toContain('**/*.node')
    // Only dependencies are packaged (and rebuilt): the addons must not drift into devDependencies.
    for (const m of ['better-sqlite3-multiple-ciphers', 'keytar', '@node-rs/argon2']) {
      expect(pkg.dependencies[m], m).toBeDefined()
    }
  })

  it('in a package, loads the addons electron-builder rebuilt, never ones an environment variable names', () => {
    const main = readFileSync(join(root, 'src/main/index.ts'), 'utf8')
    expect(main).toMatch(
      /const nativeDir = app\.isPackaged \? undefined : process\.env\.TESSERA_NATIVE_DIR\n/,
    )
  })

  it('packages the built app, whose entry point is the main field', () => {
    expect(asList(config.files)).toContain('out/**/*')
    expect(pkg.main).toMatch(/^\.\/out\//)
  })

  it('copies every resource the main process reads at run time into the resources directory', () => {
    const read = [
      ...readFileSync(join(root, 'src/main/index.ts'), 'utf8').matchAll(/join\(resourcesDir, '([^']+)'\)/g),
    ].map((m) => m[1])
    expect(read).toContain('common-passwords.txt')
    const copied = asList(config.extraResources).map((r) => (typeof r === 'string' ? { from: r, to: r } : r))
    for (const name of [...read, 'common-passwords.LICENSE.md']) {
      const entry = copied.find((r) => r.to === name)
      expect(entry, `${name} in extraResources`).toBeDefined()
      expect(existsSync(join(root, entry!.from!)), `${entry!.from} exists`).toBe(true)
    }
  })

  it('has icons for each platform, in the formats and sizes the installers use', () => {
    const file = (p: string | null | undefined) => readFileSync(join(root, p!))
    const pngSize = (b: Buffer) => {
      expect(b.subarray(1, 4).toString('latin1')).toBe('PNG')
      return [b.readUInt32BE(16), b.readUInt32BE(20)]
    }
    expect(pngSize(file(join(config.linux!.icon!, '512x512.png')))).toEqual([512, 512])
    expect(pngSize(file(join(config.directories!.buildResources!, 'icon.png')))).toEqual([1024, 1024])
    const ico = file(config.win?.icon)
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]) // an icon resource
    expect(ico.readUInt16LE(4)).toBeGreaterThanOrEqual(1)
    expect(ico[6]).toBe(16) // sizes run from 16 px ...
    expect(ico[6 + 16 * (ico.readUInt16LE(4) - 1)]).toBe(0) // ... to 256 px (written as 0)
    const icns = file(config.mac?.icon)
    expect(icns.subarray(0, 4).toString('latin1')).toBe('icns')
    expect(icns.readUInt32BE(4)).toBe(icns.length)
    expect(icns.includes('ic10')).toBe(true) // the 1024 px image
  })

  it('is what npm run dist packages with, and electron-builder is pinned', () => {
    expect(pkg.scripts.dist).toBe('node scripts/dist.mjs')
    expect(readFileSync(join(root, 'scripts/dist.mjs'), 'utf8')).toContain(
      "'electron-builder', '--config', 'electron-builder.ts'",
    )
    expect(pkg.devDependencies['electron-builder']).toBe('26.17.0')
  })

  it('never publishes as a side effect of a build', () => {
    expect((config as Configuration).publish).toBeNull()
  })
})
