import { expect, test } from './harness'
import { heading, OWNER, setUp, signIn, unlock, welcome } from './steps'

test('first run, lock, unlock, log out and sign in again', async ({ app }) => {
  const { page } = app
  await setUp(page, 'keychain', () => app.shot('1-setup'))
  await expect(page.getByRole('banner')).toContainText(OWNER.name)
  await expect(page.getByRole('banner')).toContainText('Owner')
  // The database's facts live under Settings; the dashboard keeps what an admin acts on.
  await expect(page.getByRole('region', { name: 'Recent security events' })).toBeVisible()
  await expect(page.getByRole('region', { name: 'Database' })).toHaveCount(0)
  const main = page.getByRole('navigation', { name: 'Main' })
  await main.getByRole('button', { name: 'Settings' }).click()
  await page.getByRole('tab', { name: 'Database' }).click()
  await expect(page.getByRole('region', { name: 'Database' })).toContainText('OS keychain')
  await main.getByRole('button', { name: 'Dashboard' }).click()
  await expect(welcome(page)).toBeVisible()
  await app.shot('2-overview')

  await page.getByRole('button', { name: 'Lock now' }).click()
  await expect(heading(page, 'Tessera is locked')).toBeVisible()
  await expect(page.getByText(OWNER.email)).toBeVisible()
  await app.shot('3-locked')
  await unlock(page)
  await expect(welcome(page)).toBeVisible()

  await page.getByRole('button', { name: 'Log out' }).click()
  await expect(heading(page, 'Sign in to Tessera')).toBeVisible()
  await app.shot('4-sign-in')
  await signIn(page)
  await expect(welcome(page)).toBeVisible()
  await page.getByRole('button', { name: 'Log out' }).click()
  await expect(heading(page, 'Sign in to Tessera')).toBeVisible()

  const services = app.backend.services()
  expect((await services.status()).keyStore).toBe('keychain')
  const types = (await services.audit.list(undefined, 100)).events.map((e) => e.type)
  expect(types).toEqual([
    'logout',
    'login.succeeded',
    'logout',
    'session.unlocked',
    'session.locked',
    'setup.owner_created',
  ])
  expect((await services.audit.verify()).ok).toBe(true)
})

test('a wrong password at sign in is shown as an error', async ({ app }) => {
  const { page } = app
  await setUp(page, 'keychain')
  await page.getByRole('button', { name: 'Log out' }).click()
  await signIn(page, 'not-the-right-password')
  await expect(page.getByRole('alert')).toHaveText('The email or password is not correct.')
  await expect(page.getByLabel('Password')).toHaveValue('')
  await app.shot('1-wrong-password')
  const [last] = (await app.backend.services().audit.list(undefined, 1)).events
  expect(last).toMatchObject({ type: 'login.failed', data: { reason: 'wrong_password' } })
  expect(JSON.stringify(last)).not.toContain('not-the-right-password')
  expect((await app.backend.services().audit.verify()).ok).toBe(true)
})

test('a page from another origin cannot call the API', async ({ app }) => {
  const { page } = app
  await expect(heading(page, 'Set up Tessera')).toBeVisible()
  // Same files, another origin: the binding's sender check refuses it before the gate runs.
  await page.goto(app.origin.replace('127.0.0.1', 'localhost'))
  const result = await page.evaluate(() =>
    (globalThis as unknown as { api: { session: { state(): Promise<unknown> } } }).api.session.state(),
  )
  expect(result).toEqual({
    ok: false,
    error: { code: 'FORBIDDEN', message: 'This page may not call Tessera.' },
  })
  await expect(heading(page, 'Tessera is not responding')).toBeVisible()
  await app.shot('1-refused')
})
