import react from '@vitejs/plugin-react'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // Argon2 and a real encrypted file per test: give the slow ones room, but keep runs bounded.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two test files at a time even on two cores (Vitest's default there is one): most files spend their
    // time waiting on child processes (the CLI, the crash suite's driver) or on Argon2's own threads.
    maxWorkers: 2,
    globalSetup: ['test/fixtures/global-setup.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: [
            'src/main/**/*.test.ts',
            'src/shared/**/*.test.ts',
            'src/cli/**/*.test.ts',
            'test/cli/**/*.test.ts',
            'test/security/**/*.test.ts',
            'test/crash/**/*.test.ts',
            'test/faults/**/*.test.ts',
            'test/packaging/**/*.test.ts',
          ],
        },
      },
      {
        extends: true,
        plugins: [react()],
        test: {
          name: 'renderer',
          environment: 'jsdom',
          globals: true,
          include: ['src/renderer/**/*.test.tsx', 'src/renderer/**/*.test.ts'],
          setupFiles: ['src/renderer/test-setup.ts'],
        },
      },
    ],
  },
})
