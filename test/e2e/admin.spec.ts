import type { Page } from '@playwright/test'
import { hostname } from 'node:os'
import { expect, test } from './harness'
import { enrollThroughWizard, heading, otherWay, saveCodesAndFinish, setUp, signIn, welcome } from './steps'

const MIA = { email: 'mia@example.com', name: 'Mia Member', password: 'orchid-lantern-harbour-9' }

const nav = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true })
const logOut = (page: Page) => page.getByRole('button', { name: 'Log out' }).click()
const figure = (page: Page, name: RegExp) =>
  page.getByRole('region', { name: 'Figures' }).getByRole('button', { name })

test('an admin invites a user who activates, enrolls, signs in with a backup code; the admin sees it', async ({
  app,
  context,
}) => {
  const { page } = app
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.origin })
  await setUp(page, 'keychain')
  await expect(figure(page, /^2FA adoption: 0 \/ 1\b/)).toBeVisible()
  await app.shot('1-dashboard-before')

  // The owner adds Mia, a member who must have 2FA (the policy's default), and copies her code.
  await nav(page, 'Users').click()
  await expect(heading(page, 'Users')).toBeVisible()
  await page.getByRole('button', { name: 'Add user' }).click()
  const add = page.getByRole('dialog', { name: 'Add user' })
  await add.getByLabel('Email').fill(MIA.email)
  await add.getByLabel('Name').fill(MIA.name)
  await add.getByLabel('Role').selectOption('member')
  await expect(add.getByLabel('Require two-factor authentication')).toBeChecked()
  await app.shot('2-add-user')
  await add.getByRole('button', { name: 'Add user' }).click()
  const shown = page.getByRole('dialog', { name: 'Invitation code' })
  const code = (await shown.getByLabel('Invitation code').textContent())!.trim()
  expect(code.replace(/[^A-Z0-9]/g, '').length).toBeGreaterThanOrEqual(26)
  await shown.getByRole('button', { name: 'Copy' }).click()
  await expect(shown.getByText('The clipboard will be cleared in 30 seconds')).toBeVisible()
  expect(await page.evaluate('navigator.clipboard.readText()')).toBe(code)
  await app.shot('3-invitation-code')
  await shown.getByRole('button', { name: 'Done' }).click()
  await expect(page.getByText(code)).toHaveCount(0)
  const miaRow = page.getByRole('table', { name: 'Users' }).getByRole('row', { name: new RegExp(MIA.name) })
  await expect(miaRow).toContainText('Invited')
  await app.shot('4-users')
  await logOut(page)

  // Mia, on the same machine, activates with the code and is led straight into enrollment.
  await expect(heading(page, 'Sign in to Tessera')).toBeVisible()
  await page.getByRole('button', { name: 'Activate an account' }).click()
  await page.getByLabel('Email').fill(MIA.email)
  await page.getByLabel('Invitation code').fill(code)
  await page.getByLabel('New password', { exact: true }).fill(MIA.password)
  await page.getByLabel('Confirm new password').fill(MIA.password)
  await app.shot('5-activate')
  await page.getByRole('button', { name: 'Activate account' }).click()
  await expect(heading(page, 'Set up two-factor authentication')).toBeVisible()
  await expect(page.getByText('Your administrator requires two-factor authentication')).toBeVisible()
  const { codes } = await enrollThroughWizard(app, MIA.password, (s) => app.shot(`6-${s}`))
  await saveCodesAndFinish(page)
  await expect(heading(page, `Welcome, ${MIA.name}`)).toBeVisible()
  await expect(nav(page, 'Users')).toHaveCount(0)
  await logOut(page)

  // Later she signs in with her password and a backup code.
  app.clock.advance(5 * 60_000)
  await expect(heading(page, 'Sign in to Tessera')).toBeVisible()
  await page.getByLabel('Email').fill(MIA.email)
  await page.getByLabel('Password').fill(MIA.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await otherWay(page, 'Use a backup code')
  await page.getByLabel('Backup code').fill(codes[0]!)
  await page.getByRole('button', { name: 'Verify' }).click()
  await expect(heading(page, `Welcome, ${MIA.name}`)).toBeVisible()
  await expect(page.getByText('You have 4 backup codes left.')).toBeVisible()
  await logOut(page)

  // The owner (password only) sees slot 1 used, with when and on which machine.
  await signIn(page)
  await expect(welcome(page)).toBeVisible()
  await nav(page, 'Users').click()
  await expect(miaRow).toContainText('Enrolled')
  await expect(miaRow).toContainText('4/5')
  await miaRow.click()
  await expect(heading(page, MIA.name)).toBeVisible()
  const twoFactor = page.getByRole('region', { name: 'Two-factor authentication' })
  await expect(twoFactor).toContainText('Enrolled on')
  await expect(twoFactor).toContainText('4/5 left')
  const slots = twoFactor.getByRole('list', { name: 'Backup code slots' }).getByRole('listitem')
  await expect(slots).toHaveCount(5)
  await expect(slots.filter({ hasText: 'unused' })).toHaveCount(4)
  const used = slots.nth(0)
  await expect(used).toContainText('used at')
  await expect(used).toContainText(`on ${hostname()}`)
  await expect(used).toContainText(new Date(app.clock.now()).getFullYear().toString())
  await expect(page.getByRole('region', { name: 'Recent events' })).toContainText(
    `${MIA.name} signed in with backup code 1 of 5 on ${hostname()} (4 left).`,
  )
  await app.shot('7-user-page')

  // The dashboard counts her: enrolled, required and enrolled, one backup code this week.
  await nav(page, 'Dashboard').click()
  await expect(figure(page, /^2FA adoption: 1 \/ 2\b/)).toBeVisible()
  await expect(page.getByText('1 / 1 required users enrolled')).toBeVisible()
  await expect(figure(page, /^Pending invitations: 0\b/)).toBeVisible()
  const chart = page.getByRole('img', { name: /Backup codes used per week/ })
  await expect(chart).toHaveAccessibleName(/1 used in total/)
  await expect(chart.locator('g[aria-label]').last()).toHaveAttribute('aria-label', /: 1 used$/)
  await app.shot('8-dashboard-after')

  const services = app.backend.services()
  const types = (await services.audit.list(undefined, 200)).events.map((e) => e.type)
  for (const t of ['user.created', 'user.activated', '2fa.enrolled', '2fa.backup_code_used'])
    expect(types).toContain(t)
  const trail = JSON.stringify((await services.audit.list(undefined, 200)).events)
  expect(trail).not.toContain(code)
  for (const c of codes) expect(trail).not.toContain(c)
})
