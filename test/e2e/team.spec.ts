import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Backend } from '../../src/main/core/backend'
import { createTestDatabase, dropTestDatabase } from '../fixtures/engine'
import { startTestBackend } from '../fixtures/backend'
import { expect, test } from './harness'
import { heading, OWNER, signIn, welcome } from './steps'

const TEAM_PASSPHRASE = 'a long team passphrase for tests'

// Needs a PostgreSQL server for the tests (npm test provides one through scripts/with-postgres.sh).
test.skip(!process.env.TESSERA_TEST_PG_URL, 'no PostgreSQL server for the tests (TESSERA_TEST_PG_URL)')

test('the owner creates a team database from the first-run screen; another console’s changes show live', async ({
  app,
}) => {
  const { page } = app
  const url = await createTestDatabase()
  const otherDir = mkdtempSync(join(tmpdir(), 'tessera-e2e-other-'))
  let other: Backend | undefined
  try {
    await expect(heading(page, 'Set up Tessera')).toBeVisible()
    await page.getByRole('radio', { name: /Team database \(PostgreSQL\): create it/ }).check()
    await page.getByLabel('Team database address').fill(url)
    await page.getByLabel('Owner email').fill(OWNER.email)
    await page.getByLabel('Name').fill(OWNER.name)
    await page.getByLabel('Password', { exact: true }).fill(OWNER.password)
    await page.getByLabel('Confirm password').fill(OWNER.password)
    await page.getByLabel('Team passphrase', { exact: true }).fill(TEAM_PASSPHRASE)
    await page.getByLabel('Confirm passphrase').fill(TEAM_PASSPHRASE)
    await app.shot('1-create-team-database')
    await page.getByRole('button', { name: /Create owner/ }).click()
    await expect(welcome(page)).toBeVisible()
    expect(app.backend.team).toBe(true)

    // The Users page, open on this console, while another console (its own backend, its own
    // connections, the key from the passphrase) adds Nora.
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: 'Users', exact: true })
      .click()
    const table = page.getByRole('table', { name: 'Users' })
    await expect(table.getByText(OWNER.name)).toBeVisible()
    other = await startTestBackend({ dir: otherDir, databaseUrl: url })
    await other.unlockDatabase(TEAM_PASSPHRASE)
    const services = other.services()
    const owner = (await services.users.byEmail(OWNER.email))!
    await services.users.create(
      { email: 'nora@example.com', name: 'Nora Newcomer', role: 'member' },
      { id: owner.id, email: owner.email, name: owner.name, role: 'owner' },
      { via: 'desktop', machine: 'console-2' },
    )
    // No reload, no polling: the row arrives through PostgreSQL's notice.
    await expect(table.getByText('Nora Newcomer')).toBeVisible({ timeout: 3000 })
    await app.shot('2-users-live')

    // A restart of this console finds the team database again (its address in the keychain).
    await app.restart()
    await page.reload()
    await signIn(page)
    await expect(welcome(page)).toBeVisible()
    // The database's facts are under Settings → Database.
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: 'Settings', exact: true })
      .click()
    await page.getByRole('tab', { name: 'Database' }).click()
    await expect(page.getByRole('region', { name: 'Database' }).getByText(/PostgreSQL 1\d/)).toBeVisible()
    await app.shot('3-after-restart')
  } finally {
    await other?.close()
    rmSync(otherDir, { recursive: true, force: true })
    await app.backend.close()
    await dropTestDatabase(url)
  }
})
