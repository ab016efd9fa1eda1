import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'
import { resolve } from 'node:path'

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
        input: { index: resolve('src/main/index.ts'), cli: resolve('src/cli/index.ts') },
      },
    },
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
