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
      },
    },
    plugins: [helpManifestPlugin()],
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
