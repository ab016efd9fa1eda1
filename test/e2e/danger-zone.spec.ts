import type { Page } from '@playwright/test'
import { addUser } from '../fixtures/backend'
import { expect, test } from './harness'
import { heading, setUp } from './steps'

const MIA = {
  email: 'mia@example.com',
  name: 'Mia Member',
  role: 'member',
  password: 'orchid-lantern-harbour-9',
} as const

const nav = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true })

test('13-07 danger zone', async ({ app }) => {
  const { page } = app
  await setUp(page, 'keychain')
  const id = await addUser(app.backend, MIA)
  const statusOfMia = async () => (await app.backend.services().users.detail(id)).user.status

  await nav(page, 'Users').click()
  // Mia went straight into the database: a search fetches the list afresh.
  await page.getByLabel('Search').fill('mia')
  await page
    .getByRole('table', { name: 'Users' })
    .getByRole('row', { name: new RegExp(MIA.name) })
    .click()
  await expect(heading(page, MIA.name)).toBeVisible()

  // The everyday actions stay with the account; what cannot be taken back sits apart, last on the page.
  const everyday = page.getByRole('group', { name: 'Actions' })
  const zone = page.getByRole('region', { name: 'Danger zone' })
  await expect(zone.getByRole('button')).toHaveText(['Disable', 'Delete'])
  for (const name of ['Disable', 'Delete', 'Reset 2FA'])
    await expect(everyday.getByRole('button', { name, exact: true })).toHaveCount(0)
  await expect(everyday.getByRole('button', { name: 'Reset password' })).toBeVisible()
  await zone.scrollIntoViewIfNeeded()
  await app.shot('user-page')

  // Focus starts on Cancel: an Enter out of habit keeps the account; the page behind is inert meanwhile.
  const disable = zone.getByRole('button', { name: 'Disable' })
  await disable.click()
  const confirm = page.getByRole('dialog', { name: `Disable ${MIA.name}?` })
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused()
  await expect(page.locator('#root')).toHaveAttribute('inert', '')
  await app.shot('disable-focus-on-cancel')
  // Tab and Shift+Tab stay inside the dialog.
  await page.keyboard.press('Tab')
  await expect(confirm.getByRole('button', { name: 'Disable' })).toBeFocused()
  await page.keyboard.press('Shift+Tab')
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(confirm).toHaveCount(0)
  await expect(page.locator('#root')).not.toHaveAttribute('inert', /.*/)
  await expect(disable).toBeFocused()
  expect(await statusOfMia()).toBe('active')

  // Deleting asks for her email, typed exactly, before the button does anything.
  await zone.getByRole('button', { name: 'Delete' }).click()
  const remove = page.getByRole('dialog', { name: `Delete ${MIA.name}?` })
  const typed = remove.getByLabel(`Type ${MIA.email} to confirm`)
  const deleteUser = remove.getByRole('button', { name: 'Delete user' })
  await expect(typed).toBeFocused()
  await expect(deleteUser).toBeDisabled()
  await typed.fill('Mia@example.com')
  await expect(deleteUser).toBeDisabled()
  await page.keyboard.press('Enter')
  await expect(remove).toBeVisible()
  await app.shot('delete-needs-email')
  await typed.fill(MIA.email)
  await expect(deleteUser).toBeEnabled()
  await app.shot('delete-email-typed')
  await deleteUser.click()
  await expect(heading(page, 'Users')).toBeVisible()
  await expect(
    page.getByRole('table', { name: 'Users' }).getByRole('row', { name: new RegExp(MIA.name) }),
  ).toHaveCount(0)
  await expect(app.backend.services().users.detail(id)).rejects.toThrow()
})
