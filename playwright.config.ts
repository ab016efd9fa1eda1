import { defineConfig } from '@playwright/test'

// Debian's Chromium against the built renderer (npx electron-vite build first); the harness in
// test/e2e/harness.ts serves it and puts the real main-side services behind window.api.
export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  workers: 1,
  fullyParallel: false,
  // Generous: every screenshot is also an axe check, and CI shares two cores with the servers.
  timeout: 120_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  forbidOnly: !!process.env.CI,
  use: {
    headless: true,
    viewport: { width: 1280, height: 820 },
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
    trace: 'off',
  },
})
