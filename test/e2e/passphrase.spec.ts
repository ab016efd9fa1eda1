import { expect, test } from './harness'
import { heading, PASSPHRASE, setUp, signIn, welcome } from './steps'

test('a database kept with a passphrase asks for it after a restart', async ({ app }) => {
  const { page } = app
  await setUp(page, 'passphrase', () => app.shot('1-setup-passphrase'))
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click()
  await page.getByRole('tab', { name: 'Database' }).click()
  await expect(page.getByRole('region', { name: 'Database' })).toContainText('Passphrase')

  const restarted = await app.restart()
  expect(restarted.phase).toBe('needs-db-passphrase')
  await page.reload()
  await expect(heading(page, 'Open the database')).toBeVisible()
  await app.shot('2-database-passphrase')

  await page.getByLabel('Database passphrase').fill('not the passphrase at all')
  await page.getByRole('button', { name: 'Open database' }).click()
  await expect(page.getByRole('alert')).toBeVisible()
  await app.shot('3-wrong-passphrase')
  expect(restarted.phase).toBe('needs-db-passphrase')

  await page.getByLabel('Database passphrase').fill(PASSPHRASE)
  await page.getByRole('button', { name: 'Open database' }).click()
  await expect(heading(page, 'Sign in to Tessera')).toBeVisible()
  await app.shot('4-sign-in')
  await signIn(page)
  await expect(welcome(page)).toBeVisible()
  expect((await app.backend.services().status()).keyStore).toBe('passphrase')
  expect((await app.backend.services().audit.verify()).ok).toBe(true)
})
