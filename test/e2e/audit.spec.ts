import { expect, test } from './harness'
import { setUp, signIn, unlock, welcome } from './steps'

test('the audit log lists the session events and verifies the chain', async ({ app }) => {
  const { page } = app
  await setUp(page, 'keychain')
  await page.getByRole('button', { name: 'Lock now' }).click()
  await unlock(page)
  await page.getByRole('button', { name: 'Log out' }).click()
  await signIn(page)
  await expect(welcome(page)).toBeVisible()

  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Audit log' }).click()
  const table = page.getByRole('table')
  for (const type of [
    'setup.owner_created',
    'session.locked',
    'session.unlocked',
    'logout',
    'login.succeeded',
  ]) {
    await expect(table.getByRole('cell', { name: type, exact: true })).toBeVisible()
  }
  await expect(table.getByRole('row')).toHaveCount(1 + (await app.backend.services().audit.count()))

  await page.getByRole('button', { name: 'Verify chain' }).click()
  const count = await app.backend.services().audit.count()
  await expect(page.getByRole('status')).toContainText(`Chain intact: ${count} events verified.`)
  await expect(page.getByRole('status')).toContainText(await app.backend.services().audit.headHash())
  await app.shot('1-audit-log')
  expect((await app.backend.services().audit.verify()).ok).toBe(true)
})
