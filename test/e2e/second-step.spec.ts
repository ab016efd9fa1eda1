import type { Page } from '@playwright/test'
import { PasswordHasher } from '../../src/main/core/passwords'
import { insertUser } from '../../src/main/db/queries/users'
import { connectPhones, type Phones } from '../fixtures/phones'
import { sqlValue } from '../fixtures/sql'
import { expect, test } from './harness'
import {
  enrollThroughWizard,
  heading,
  OWNER,
  saveCodes,
  saveCodesAndFinish,
  setUp,
  signIn,
  skipEmergencyPhone,
  welcome,
} from './steps'

const nav = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name })
const trouble = (page: Page) => page.getByRole('button', { name: 'Having trouble?' })
const otherWays = (page: Page) => page.getByRole('list', { name: 'Other ways to sign in' })

let phones: Phones | undefined
test.afterEach(async () => {
  await phones?.close()
  phones = undefined
})

// The app code first, the other ways behind "Having trouble?".
test('13-04 second step', async ({ app }) => {
  const { page } = app
  await setUp(page, 'keychain')
  phones = await connectPhones(app.backend)
  await nav(page, 'My profile').click()
  await page
    .getByRole('region', { name: 'Two-factor authentication' })
    .getByRole('button', { name: 'Enable' })
    .click()
  const { codes } = await enrollThroughWizard(app, OWNER.password, () => Promise.resolve())
  await saveCodesAndFinish(page)
  await page.getByRole('button', { name: 'Log out' }).click()
  app.clock.advance(30_000)

  // No verified emergency phone: one field, focused, and one closed "Having trouble?".
  await signIn(page)
  await expect(page.getByLabel('6-digit code')).toBeFocused()
  await expect(trouble(page)).toHaveAttribute('aria-expanded', 'false')
  await expect(page.getByRole('button', { name: 'Use a backup code' })).toHaveCount(0)
  await app.shot('1-app-code-first')
  await trouble(page).click()
  await expect(trouble(page)).toHaveAttribute('aria-expanded', 'true')
  await expect(otherWays(page).getByRole('button')).toHaveText(['Use a backup code', 'Ask support for help'])
  await app.shot('2-having-trouble-no-phone')

  // Each way replaces the step, and focus moves there.
  await otherWays(page).getByRole('button', { name: 'Ask support for help' }).click()
  await expect(heading(page, 'Ask support for help')).toBeFocused()
  await app.shot('3-ask-support')
  await page.getByRole('button', { name: 'Back to the app code' }).click()
  await expect(page.getByLabel('6-digit code')).toBeFocused()
  await trouble(page).click()
  await otherWays(page).getByRole('button', { name: 'Use a backup code' }).click()
  await expect(page.getByLabel('Backup code')).toBeFocused()
  await page.getByLabel('Backup code').fill(codes[0]!)
  await app.shot('4-backup-code')
  await page.getByRole('button', { name: 'Verify' }).click()
  await expect(welcome(page)).toBeVisible()
  await expect(welcome(page)).toBeFocused()

  // With a verified emergency phone, the SMS way is offered too (no number shown until it is used).
  await nav(page, 'My profile').click()
  await expect(heading(page, 'My profile')).toBeFocused()
  const phone = page.getByRole('region', { name: 'Emergency phone' })
  await phone.getByRole('button', { name: 'Add emergency phone' }).click()
  await phone.getByLabel('Phone number', { exact: true }).fill('+34 600 000 123')
  await phone.getByLabel('Phone number again').fill('+34 600 000 123')
  await phone.getByRole('checkbox', { name: 'This is not the phone with my authenticator app' }).check()
  await phone.getByLabel('Current password').fill(OWNER.password)
  await phone.getByRole('button', { name: 'Send a code' }).click()
  await expect(phone.getByLabel('Code from the SMS')).toBeVisible()
  // The SMS leaves through the outbox: read it once the phone has it.
  const smsCode = () => {
    try {
      return phones!.lastCode()
    } catch {
      return ''
    }
  }
  await expect.poll(smsCode).toMatch(/^\d{6}$/)
  await phone.getByLabel('Code from the SMS').fill(smsCode())
  await phone.getByRole('button', { name: 'Verify phone' }).click()
  await expect(phone).toContainText('Verified on')
  await page.getByRole('button', { name: 'Log out' }).click()
  app.clock.advance(61 * 60_000)

  await signIn(page)
  await trouble(page).click()
  await expect(otherWays(page).getByRole('button')).toHaveText([
    'Use a backup code',
    'Send a code to my emergency phone',
    'Ask support for help',
  ])
  await expect(page.getByText('+34 ••• ••• 123')).toHaveCount(0)
  await app.shot('5-having-trouble-with-phone')
  await otherWays(page).getByRole('button', { name: 'Send a code to my emergency phone' }).click()
  await expect(heading(page, 'Use your emergency phone')).toBeFocused()
  await expect(page.getByRole('button', { name: 'Send a code to my emergency phone' })).toBeVisible()
  await app.shot('6-emergency-phone-step')
})

const MAX = { email: 'max@example.com', name: 'Max Member', password: 'member-password-42' }

// A member's home: a checklist with the next step; new codes without the password again after signing in.
test('13-10 member home', async ({ app }) => {
  const { page } = app
  await setUp(page, 'keychain')
  const { db } = app.backend.services()
  await insertUser(db, {
    email: MAX.email,
    name: MAX.name,
    role: 'member',
    status: 'active',
    password_hash: await new PasswordHasher().hash(MAX.password),
    now: app.clock.now(),
  })
  await page.getByRole('button', { name: 'Log out' }).click()
  const signInMax = async () => {
    await expect(heading(page, 'Sign in to Tessera')).toBeVisible()
    await page.getByLabel('Email').fill(MAX.email)
    await page.getByLabel('Password').fill(MAX.password)
    await page.getByRole('button', { name: 'Sign in' }).click()
  }
  await signInMax()

  const checklist = page.getByRole('region', { name: 'Your account’s security' })
  await expect(heading(page, `Welcome, ${MAX.name}`)).toBeFocused()
  const items = checklist.getByRole('listitem')
  await expect(items).toHaveCount(3)
  await expect(items.nth(0)).toHaveAttribute('aria-current', 'step')
  await expect(checklist).toContainText('Next step: Turn on two-factor authentication.')
  await app.shot('1-checklist')

  // The next step runs right there; the wizard counts its steps and moves focus to each.
  await items.nth(0).getByRole('button', { name: 'Turn on two-factor authentication' }).click()
  await expect(page.getByText('Step 1 of 4')).toBeVisible()
  const { codes } = await enrollThroughWizard(app, MAX.password, () => Promise.resolve())
  await expect(heading(page, 'Save your backup codes')).toBeFocused()
  await saveCodes(page)
  await expect(heading(page, 'Add an emergency phone')).toBeFocused()
  await skipEmergencyPhone(page)
  await expect(checklist).toContainText('Backup codes: 5 of 5 left')
  await expect(checklist).toContainText('Next step: Add emergency phone.')
  await expect(items.nth(2)).toHaveAttribute('aria-current', 'step')
  await app.shot('2-two-factor-on')

  // Three codes spent on earlier sign-ins elsewhere; the fourth signs in here.
  const maxId = await sqlValue<number>(db, 'SELECT id FROM users WHERE email = ?', MAX.email)
  for (const code of codes.slice(0, 3))
    await app.backend.services().twoFactor.verify(maxId, { backupCode: code }, app.backend.client)
  await page.getByRole('button', { name: 'Log out' }).click()
  app.clock.advance(30_000)
  await signInMax()
  await trouble(page).click()
  await otherWays(page).getByRole('button', { name: 'Use a backup code' }).click()
  await page.getByLabel('Backup code').fill(codes[3]!)
  await page.getByRole('button', { name: 'Verify' }).click()
  const warning = page.getByRole('alert').filter({ hasText: 'backup code left' })
  await expect(warning).toContainText('You have 1 backup code left.')
  await expect(checklist).toContainText('Backup codes: 1 of 5 left')
  await expect(checklist).toContainText('Next step: Create new codes.')
  await app.shot('3-one-code-left')

  await warning.getByRole('button', { name: 'Create new codes' }).click()
  const dialog = page.getByRole('dialog', { name: 'Create new backup codes?' })
  await expect(dialog).toContainText('You have just signed in, so you are not asked for your password again.')
  await expect(dialog.getByLabel('Current password')).toHaveCount(0)
  await app.shot('4-create-codes-no-password')
  await dialog.getByRole('button', { name: 'Create new codes' }).click()
  const shown = page.getByRole('dialog', { name: 'Your new backup codes' })
  await expect(shown.getByRole('list', { name: 'Backup codes' }).getByRole('listitem')).toHaveCount(5)
  await app.shot('5-new-codes')
  await shown.getByLabel('I have saved these codes').check()
  await shown.getByRole('button', { name: 'Done' }).click()
  await expect(checklist).toContainText('Backup codes: 5 of 5 left')
  await expect(page.getByText('backup code left')).toHaveCount(0)
  await app.shot('6-after-new-codes')
  const events = (await app.backend.services().audit.list(undefined, 20)).events
  expect(events.find((e) => e.type === '2fa.backup_codes_regenerated')).toMatchObject({
    actorId: maxId,
    data: { proof: 'recent_sign_in' },
  })
})

// A required enrollment right after the password starts at the QR code: step 1 of 3.
test('13-10 enrollment steps', async ({ app }) => {
  const { page } = app
  await setUp(page, 'keychain')
  await insertUser(app.backend.services().db, {
    email: MAX.email,
    name: MAX.name,
    role: 'member',
    status: 'active',
    password_hash: await new PasswordHasher().hash(MAX.password),
    now: app.clock.now(),
    require_2fa: 1,
  })
  await page.getByRole('button', { name: 'Log out' }).click()
  await expect(heading(page, 'Sign in to Tessera')).toBeVisible()
  await page.getByLabel('Email').fill(MAX.email)
  await page.getByLabel('Password').fill(MAX.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(heading(page, 'Set up two-factor authentication')).toBeVisible()
  await expect(heading(page, 'Scan the QR code')).toBeFocused()
  await expect(page.getByText('Step 1 of 3')).toBeVisible()
  await expect(page.getByLabel('Current password')).toHaveCount(0)
  await app.shot('1-step-1-of-3')
})
