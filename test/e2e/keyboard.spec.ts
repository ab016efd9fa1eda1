import type { Locator, Page } from '@playwright/test'
import { expect, test } from './harness'
import { OWNER, PASSPHRASE, heading } from './steps'
import { base32Decode, totp } from './totp'

// An admin's and a member's main flows with the keyboard alone: Tab to reach a control, typing, Space and
// Enter to use it. No click, no fill: if a control cannot be reached or used from the keyboard, or focus
// is lost on the way (a dialog that does not take it, a page that drops it), the test cannot go on.

const MIA = { email: 'mia@example.com', name: 'Mia Member', password: 'orchid-lantern-harbour-9' }

/** Presses Tab (or Shift+Tab) until `target` has focus; fails when it never does. */
async function tabTo(page: Page, target: Locator, { back = false, max = 80 } = {}) {
  await expect(target).toBeVisible()
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === el.ownerDocument.activeElement)) return
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab')
  }
  throw new Error(`Tab never reached ${target.toString()}`)
}

async function typeInto(page: Page, field: Locator, text: string) {
  await tabTo(page, field)
  await page.keyboard.type(text)
}

async function press(page: Page, control: Locator, key: 'Enter' | 'Space' = 'Enter') {
  await tabTo(page, control)
  await page.keyboard.press(key)
}

const nav = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true })

test('an admin and a member work through their main flows with the keyboard alone', async ({ app }) => {
  const { page } = app
  const shot = (step: string) => app.shot(`13-kb-${step}`)

  // First run: the owner's form, passphrase chosen with the arrow keys.
  await expect(heading(page, 'Set up Tessera')).toBeVisible()
  await typeInto(page, page.getByLabel('Owner email'), OWNER.email)
  await typeInto(page, page.getByLabel('Name'), OWNER.name)
  await typeInto(page, page.getByLabel('Password', { exact: true }), OWNER.password)
  await typeInto(page, page.getByLabel('Confirm password'), OWNER.password)
  await tabTo(page, page.getByRole('radio', { name: /OS keychain/ }))
  await page.keyboard.press('ArrowDown')
  await expect(page.getByRole('radio', { name: /Passphrase/ })).toBeChecked()
  await typeInto(page, page.getByLabel('Database passphrase'), PASSPHRASE)
  await typeInto(page, page.getByLabel('Confirm passphrase'), PASSPHRASE)
  await shot('01-setup')
  await press(page, page.getByRole('button', { name: /Create owner/ }))
  await expect(heading(page, `Welcome, ${OWNER.name}`)).toBeVisible()

  // Users → Add user: the dialog takes focus; the role is picked by typing in the select.
  await press(page, nav(page, 'Users'))
  await expect(heading(page, 'Users')).toBeVisible()
  await press(page, page.getByRole('button', { name: 'Add user' }))
  const add = page.getByRole('dialog', { name: 'Add user' })
  await expect(add.getByLabel('Email')).toBeFocused()
  await page.keyboard.type(MIA.email)
  await typeInto(page, add.getByLabel('Name'), MIA.name)
  await tabTo(page, add.getByLabel('Role'))
  await page.keyboard.type('member')
  await expect(add.getByLabel('Role')).toHaveValue('member')
  await shot('02-add-user')
  await press(page, add.getByRole('button', { name: 'Add user' }))
  const shown = page.getByRole('dialog', { name: 'Invitation code' })
  await expect(shown).toBeVisible()
  const code = (await shown.getByLabel('Invitation code').textContent())!.trim()
  // Escape must not lose a code shown once; Done (reached by Tab) closes it.
  await page.keyboard.press('Escape')
  await expect(shown).toBeVisible()
  await shot('03-invitation-code')
  await press(page, shown.getByRole('button', { name: 'Done' }))
  await expect(shown).toHaveCount(0)
  await expect(page.getByRole('table', { name: 'Users' }).getByText(MIA.name)).toBeVisible()
  await press(page, page.getByRole('button', { name: 'Log out' }))

  // Mia activates her account, enrolls her authenticator and saves her backup codes.
  await expect(heading(page, 'Sign in to Tessera')).toBeVisible()
  await press(page, page.getByRole('button', { name: 'Activate an account' }))
  await typeInto(page, page.getByLabel('Email'), MIA.email)
  await typeInto(page, page.getByLabel('Invitation code'), code)
  await typeInto(page, page.getByLabel('New password', { exact: true }), MIA.password)
  await typeInto(page, page.getByLabel('Confirm new password'), MIA.password)
  await page.keyboard.press('Enter')
  await expect(heading(page, 'Set up two-factor authentication')).toBeVisible()
  // The password she has just set counts as given: the wizard starts at the QR code, with focus on its step.
  const first = page.getByRole('heading', { name: /^(Confirm your password|Scan the QR code)$/ })
  if ((await first.textContent()) === 'Confirm your password') {
    await typeInto(page, page.getByLabel('Current password'), MIA.password)
    await page.keyboard.press('Enter')
  }
  await expect(heading(page, 'Scan the QR code')).toBeFocused()
  const manualKey = page.getByRole('group', { name: 'Manual key' })
  await expect(manualKey).toBeVisible()
  const key = base32Decode((await manualKey.textContent())!.trim())
  await typeInto(page, page.getByLabel('6-digit code from the app'), totp(key, app.clock.now()))
  await shot('04-enroll')
  await page.keyboard.press('Enter')
  await expect(page.getByRole('list', { name: 'Backup codes' }).getByRole('listitem')).toHaveCount(5)
  await press(page, page.getByLabel('I have saved these codes'), 'Space')
  await expect(page.getByLabel('I have saved these codes')).toBeChecked()
  await press(page, page.getByRole('button', { name: 'Done' }))
  await press(page, page.getByRole('button', { name: 'Skip for now' }))
  await expect(heading(page, `Welcome, ${MIA.name}`)).toBeVisible()
  await shot('05-member-home')
  await press(page, page.getByRole('button', { name: 'Log out' }))

  // Later she signs in: password, then the app code (the field has focus when the step appears).
  app.clock.advance(60_000)
  await expect(heading(page, 'Sign in to Tessera')).toBeVisible()
  await typeInto(page, page.getByLabel('Email'), MIA.email)
  await typeInto(page, page.getByLabel('Password'), MIA.password)
  await page.keyboard.press('Enter')
  const appCode = page.getByLabel('6-digit code', { exact: true })
  await expect(appCode).toBeFocused()
  await page.keyboard.type(totp(key, app.clock.now()))
  await shot('06-second-step')
  await page.keyboard.press('Enter')
  await expect(heading(page, `Welcome, ${MIA.name}`)).toBeVisible()

  // Her profile, reached from the navigation: the page's heading takes focus.
  await press(page, nav(page, 'My profile'))
  await expect(heading(page, 'My profile')).toBeFocused()
  await shot('07-profile')
})
