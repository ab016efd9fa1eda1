import { expect, test } from './harness'
import { heading, setUp, unlock, welcome } from './steps'

test('the console locks after the configured idle minutes', async ({ app }) => {
  const { page } = app
  await setUp(page, 'keychain')

  // The owner shortens the idle time to one minute under Settings.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click()
  const idle = page.getByLabel('Lock the console after this many idle minutes')
  await expect(idle).toHaveValue('5')
  await idle.fill('1')
  await page.getByRole('button', { name: 'Save settings' }).click()
  await expect(page.getByRole('status')).toHaveText('Settings saved.')
  await app.shot('1-settings')

  // Main's clock passes the idle time: the next thing the person does finds the console locked.
  app.clock.advance(61_000)
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Audit log' }).click()
  await expect(heading(page, 'Tessera is locked')).toBeVisible()
  await app.shot('2-locked-by-main')
  const [idleLock] = (await app.backend.services().audit.list(undefined, 1)).events
  expect(idleLock).toMatchObject({ type: 'session.locked', data: { reason: 'idle' } })

  // The window's own idle timer: no activity for a minute locks it without any click.
  await page.clock.install()
  await unlock(page)
  await expect(welcome(page)).toBeVisible()
  await page.clock.fastForward('01:01')
  await expect(heading(page, 'Tessera is locked')).toBeVisible()
  const [windowLock] = (await app.backend.services().audit.list(undefined, 1)).events
  expect(windowLock).toMatchObject({ type: 'session.locked', data: { reason: 'idle' } })
  await unlock(page)
  await expect(welcome(page)).toBeVisible()
  expect((await app.backend.services().audit.verify()).ok).toBe(true)
})
