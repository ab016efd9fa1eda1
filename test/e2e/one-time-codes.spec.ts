import type { Locator, Page } from '@playwright/test'
import { addUser } from '../fixtures/backend'
import { expect, test } from './harness'
import { heading, setUp } from './steps'

const MIA = { email: 'mia@example.com', name: 'Mia Member' }
const NOA = {
  email: 'noa@example.com',
  name: 'Noa Member',
  role: 'member',
  password: 'copper-meadow-violin-73',
} as const

const nav = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true })

// Written out here, apart from the app's own table, so that a wrong word in the app shows.
const NATO =
  'Alfa Bravo Charlie Delta Echo Foxtrot Golf Hotel India Juliett Kilo Lima Mike November Oscar Papa Quebec Romeo Sierra Tango Uniform Victor Whiskey X-ray Yankee Zulu'.split(
    ' ',
  )
const NUMBERS = 'Zero One Two Three Four Five Six Seven Eight Nine'.split(' ')
const said = (group: string): string =>
  [...group].map((c) => (/\d/.test(c) ? NUMBERS[Number(c)] : NATO[c.charCodeAt(0) - 65])).join(' ')

/** The code on screen: focused, in even groups (5 5 4 4 4 4 for 26 symbols), and the spelling matches it. */
async function checkShownCode(dialog: Locator, label: string): Promise<string> {
  const box = dialog.getByLabel(label, { exact: true })
  await expect(box).toBeFocused()
  const code = (await box.textContent())!.trim()
  expect(code).toMatch(/^[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}(-[2-9A-HJ-NP-Z]{4}){4}$/)
  const aloud = dialog.getByRole('button', { name: 'Read it aloud' })
  const spelled = dialog.getByRole('list', { name: 'Spelled for reading aloud', includeHidden: true })
  await expect(aloud).toHaveAttribute('aria-expanded', 'false')
  await expect(spelled).toBeHidden()
  await aloud.click()
  await expect(spelled).toBeVisible()
  await expect(aloud).toHaveAttribute('aria-expanded', 'true')
  await expect(spelled.getByRole('listitem')).toHaveText(code.split('-').map((g) => `${g}${said(g)}`))
  return code
}

/** Neither Escape nor a click beside the dialog closes it. */
async function cannotDismiss(page: Page, dialog: Locator) {
  await page.keyboard.press('Escape')
  await page.mouse.click(8, 8)
  await expect(dialog).toBeVisible()
  await expect(page.locator('#root')).toHaveAttribute('inert', '')
}

test('13-08 one-time codes', async ({ app }) => {
  const { page } = app
  await setUp(page, 'keychain')
  await addUser(app.backend, NOA)

  // An invitation code: only Done puts it away.
  await nav(page, 'Users').click()
  const addUserButton = page.getByRole('button', { name: 'Add user' })
  await addUserButton.click()
  const add = page.getByRole('dialog', { name: 'Add user' })
  await expect(add.getByLabel('Email')).toBeFocused()
  await add.getByLabel('Email').fill(MIA.email)
  await add.getByLabel('Name').fill(MIA.name)
  await add.getByRole('button', { name: 'Add user' }).click()
  const shown = page.getByRole('dialog', { name: 'Invitation code' })
  await expect(shown).toBeVisible()
  await app.shot('invitation-code')
  const code = await checkShownCode(shown, 'Invitation code')
  await cannotDismiss(page, shown)
  await app.shot('invitation-code-read-aloud')
  await shown.getByRole('button', { name: 'Done' }).click()
  await expect(shown).toHaveCount(0)
  await expect(page.getByText(code)).toHaveCount(0)
  await expect(addUserButton).toBeFocused()
  await expect(page.locator('#root')).not.toHaveAttribute('inert', /.*/)

  // The code as shown (regrouped) is the code main accepts.
  const activated = await app.backend
    .services()
    .users.activate(MIA.email, code, 'orchid-lantern-harbour-9', { machine: 'e2e', via: 'desktop' })
  expect(activated.user.email).toBe(MIA.email)

  // A password reset code shown once, where no email leaves this Tessera: Done only once it was given.
  // Noa went straight into the database: a search fetches the list afresh.
  await page.getByLabel('Search').fill('noa')
  await page
    .getByRole('table', { name: 'Users' })
    .getByRole('row', { name: new RegExp(NOA.name) })
    .click()
  await expect(heading(page, NOA.name)).toBeVisible()
  const resetPassword = page
    .getByRole('group', { name: 'Actions' })
    .getByRole('button', { name: 'Reset password' })
  await resetPassword.click()
  await page
    .getByRole('dialog', { name: `Reset the password of ${NOA.name}?` })
    .getByRole('button', { name: 'Reset password' })
    .click()
  const reset = page.getByRole('dialog', { name: 'Password reset code' })
  const resetCode = await checkShownCode(reset, 'Reset code')
  await cannotDismiss(page, reset)
  await app.shot('password-reset-code-read-aloud')
  await expect(reset.getByRole('button', { name: 'Done, hide the code' })).toBeDisabled()
  await reset.getByLabel('I have given the code to them').check()
  await reset.getByRole('button', { name: 'Done, hide the code' }).click()
  await expect(reset).toHaveCount(0)
  await expect(page.getByText(resetCode)).toHaveCount(0)
  await expect(resetPassword).toBeFocused()
})
