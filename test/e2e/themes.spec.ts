import type { Page } from '@playwright/test'
import type { SessionUser } from '../../src/shared/dto'
import { expect, test, type App } from './harness'
import { heading, OWNER, setUp, signIn } from './steps'

// Light and dark: the console follows the OS's colour scheme. Every screen below is shot and checked by
// axe (text contrast included) in both, so a colour that reads on white but not on the dark surface fails.

const OFFICE = { via: 'desktop' as const, machine: 'OFFICE-PC-3' }

const nav = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true })

async function seed(app: App) {
  const services = app.backend.services()
  const owner = (await services.users.list({ sort: 'name', limit: 5 })).users.find(
    (u) => u.email === OWNER.email,
  )!
  const actor: SessionUser = { id: owner.id, email: owner.email, name: owner.name, role: owner.role }
  await services.users.create(
    { email: 'mia@example.com', name: 'Mia Lind', role: 'member', requireTwoFactor: true },
    actor,
    OFFICE,
  )
  await services.users.create(
    { email: 'sam@example.com', name: 'Sam Support', role: 'support' },
    actor,
    OFFICE,
  )
  await services.users.create({ email: 'ada@example.com', name: 'Ada Admin', role: 'admin' }, actor, OFFICE)
}

for (const scheme of ['light', 'dark'] as const) {
  test(`the main screens in the ${scheme} theme`, async ({ app }) => {
    const { page } = app
    await page.emulateMedia({ colorScheme: scheme })
    await page.reload()
    await expect(page.locator('html')).toHaveAttribute('data-theme', scheme)
    const shot = (step: string) => app.shot(`14-${scheme}-${step}`)

    await setUp(page, 'keychain', () => shot('01-setup'))
    await seed(app)
    await shot('02-dashboard')

    await nav(page, 'Users').click()
    await expect(page.getByRole('table', { name: 'Users' }).getByText('Mia Lind')).toBeVisible()
    await shot('03-users')

    await page.getByRole('table', { name: 'Users' }).getByText('Mia Lind').click()
    await expect(heading(page, 'Mia Lind')).toBeVisible()
    await shot('04-user')

    await nav(page, 'Audit log').click()
    await expect(heading(page, 'Audit log')).toBeVisible()
    await shot('05-audit')

    await nav(page, 'Settings').click()
    await expect(heading(page, 'Settings')).toBeVisible()
    await shot('06-settings')

    await nav(page, 'My profile').click()
    await expect(heading(page, 'My profile')).toBeVisible()
    await shot('07-profile')

    // The OS switching scheme while the console is open: the page follows at once.
    const other = scheme === 'light' ? 'dark' : 'light'
    await page.emulateMedia({ colorScheme: other })
    await expect(page.locator('html')).toHaveAttribute('data-theme', other)
    const background = await page.evaluate('getComputedStyle(document.documentElement).backgroundColor')
    expect(background).toBe(other === 'dark' ? 'rgb(17, 20, 24)' : 'rgb(244, 245, 247)')
  })
}

test("a person's theme in My profile wins over the OS's, and comes back at the next sign-in", async ({
  app,
}) => {
  const { page } = app
  await page.emulateMedia({ colorScheme: 'light' })
  await setUp(page, 'keychain')
  await nav(page, 'My profile').click()
  const panel = page.getByRole('region', { name: 'Language and appearance' })
  await panel.getByLabel('Theme').selectOption('dark')
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
  await expect(panel.getByRole('status')).toHaveText('Saved.')
  await app.shot('14-theme-chosen-dark')

  await page.getByRole('button', { name: 'Log out' }).click()
  // Signed out, the screen follows the OS (light) again; signing in brings her choice back.
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light')
  await signIn(page)
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
})
