import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'
import { rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Plugin } from 'vite'
import type { helpManifest } from './src/cli/help-manifest'

/**
 * Writes out/main/help.json once the main bundle is on disk, by running the built help-manifest entry
 * (src/cli/help-manifest.ts). bin/tessera.mjs answers `tessera [GROUP [CMD]] --help` and `--version`
 * from it without loading cli.js, whose zod schemas alone take ~45 ms to compile and evaluate. The texts
 * come from the same functions the CLI prints with, so they cannot drift; the file is generated, never
 * edited.
 */
function helpManifestPlugin(): Plugin {
  return {
    name: 'tessera-help-manifest',
    apply: 'build',
    async writeBundle(output, bundle) {
      if (!output.dir || !('help-manifest.js' in bundle)) return
      const target = join(output.dir, 'help.json')
      // Never leave the texts of an older build: without help.json the bin simply loads the CLI.
      rmSync(target, { force: true })
      const url = pathToFileURL(join(output.dir, 'help-manifest.js'))
      // A query string, so that a rebuild in watch mode imports the new file rather than the cached one.
      url.search = `?t=${Date.now()}`
      try {
        const built = (await import(url.href)) as { helpManifest: typeof helpManifest }
        writeFileSync(target, `${JSON.stringify(built.helpManifest())}\n`)
      } catch (error) {
        // Help is then only slower (test/cli/help-fast.test.ts fails on a missing help.json).
        this.warn(`help.json not written: ${String(error)}`)
      }
    },
  }
}

interface ChunkingContext {
  getModuleInfo(id: string): { importedIds: readonly string[] } | null
}

/**
 * Which chunk a module of the main bundle goes to. Left to itself, the bundler cut what a CLI command
 * loads into some 20 chunks (by which entries and dynamic imports share each module), and Node spends
 * about a millisecond resolving, reading and linking each one. So:
 * - "cli": what bin/tessera.mjs loads before any command runs (src/cli/index.ts's static imports) and
 *   the app does not use;
 * - "common": the same, where the app's main process (src/main/index.ts) uses it too;
 * - "database": what the CLI imports once a command opens the database (core/database.ts and
 *   core/passwords.ts, createContext's dynamic imports) beyond the above.
 * Everything else (libraries loaded on demand: qrcode, the team database code) is chunked as before.
 */
const cliChunks = (() => {
  const ids = {
    cli: resolve('src/cli/index.ts'),
    app: resolve('src/main/index.ts'),
    database: [resolve('src/main/core/database.ts'), resolve('src/main/core/passwords.ts')],
  }
  let closures: { cli: Set<string>; app: Set<string>; database: Set<string> } | undefined
  const staticImports = (ctx: ChunkingContext, from: string[]): Set<string> => {
    const seen = new Set<string>()
    const todo = [...from]
    for (let id = todo.pop(); id !== undefined; id = todo.pop()) {
      if (seen.has(id)) continue
      seen.add(id)
      todo.push(...(ctx.getModuleInfo(id)?.importedIds ?? []))
    }
    return seen
  }
  return {
    /** Called at the start of every build, so that a rebuild in watch mode sees the new import graph. */
    reset: () => (closures = undefined),
    name: (id: string, ctx: ChunkingContext): string | null => {
      closures ??= {
        cli: staticImports(ctx, [ids.cli]),
        app: staticImports(ctx, [ids.app]),
        database: staticImports(ctx, ids.database),
      }
      // The entry itself stays cli.js (bin/tessera.mjs loads it by that name).
      if (id === ids.cli) return null
      if (closures.cli.has(id)) return closures.app.has(id) ? 'common' : 'cli'
      return closures.database.has(id) ? 'database' : null
    },
  }
})()

export default defineConfig({
  main: {
    build: {
      // Pure-JS dependencies are bundled rather than loaded from node_modules: Kysely alone is hundreds of
      // small files, and resolving and reading them cost the CLI about 200 ms a start (zod about 50 ms).
      // Native modules (SQLCipher, keytar, Argon2) and the libraries loaded only when a command needs them
      // (twilio, pg, nodemailer) stay external.
      externalizeDeps: {
        exclude: ['kysely', 'zod', 'otplib', '@otplib/plugin-crypto-node', 'libphonenumber-js', 'qrcode'],
      },
      rollupOptions: {
        // The CLI is built with the main process: the same core, one bundle per entry point.
        // help-manifest is run once at build, by helpManifestPlugin, to write help.json.
        input: {
          index: resolve('src/main/index.ts'),
          cli: resolve('src/cli/index.ts'),
          'help-manifest': resolve('src/cli/help-manifest.ts'),
        },
        // ASCII only (non-ASCII characters in strings escaped, JSDoc comments left out): V8 then holds each
        // file's source as one byte a character rather than two, and the CLI's ~1.4 MB of chunks decode and
        // compile about 30 ms faster a start. The escaped strings are the same strings.
        output: {
          charset: 'ascii',
          comments: { legal: true, annotation: true, jsdoc: false },
          // Few, large chunks for the CLI's two steps (see cliChunks); the modules each chunk's group
          // depends on are left to their own groups rather than copied in.
          codeSplitting: { includeDependenciesRecursively: false, groups: [{ name: cliChunks.name }] },
        },
      },
    },
    plugins: [helpManifestPlugin(), { name: 'tessera-cli-chunks', buildStart: () => void cliChunks.reset() }],
  },
  preload: {
    build: {
      // A sandboxed preload can require electron only: zod (which the contract's method names come with)
      // is bundled in, not left to a require() that would fail.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        // A sandboxed preload must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src/renderer',
    build: { rollupOptions: { input: { index: resolve('src/renderer/index.html') } } },
    plugins: [react()],
  },
})
