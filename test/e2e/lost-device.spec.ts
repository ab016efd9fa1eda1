import type { Page } from '@playwright/test'
import { connectPhones, type Phones } from '../fixtures/phones'
import { expect, test } from './harness'
import { enrollThroughWizard, heading, otherWay, OWNER, saveCodes, setUp, signIn, welcome } from './steps'

const nav = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name })
const phonePanel = (page: Page) => page.getByRole('region', { name: 'Emergency phone' })
const wizard = (page: Page) => page.getByRole('region', { name: 'Enable two-factor authentication' })

let phones: Phones | undefined
test.afterEach(async () => {
  await phones?.close()
  phones = undefined
})

/** The 6 digits of the latest SMS, as the phone it went to shows them (through a Twilio-shaped server). */
const lastSmsCode = (): string => phones!.lastCode()

test('lose the device: emergency phone in the wizard, SMS login, enroll a new authenticator', async ({
  app,
}) => {
  const { page } = app
  await setUp(page, 'keychain')
  phones = await connectPhones(app.backend)

  // 2FA on, as in the enrollment test; the wizard's last step is the emergency phone.
  await nav(page, 'My profile').click()
  await page
    .getByRole('region', { name: 'Two-factor authentication' })
    .getByRole('button', { name: 'Enable' })
    .click()
  const first = await enrollThroughWizard(app, OWNER.password, (s) => app.shot(`1-${s}`))
  await app.shot('2-backup-codes')
  await saveCodes(page)

  const step = wizard(page)
  await expect(heading(page, 'Add an emergency phone')).toBeVisible()
  await expect(step).toContainText('SMS is the weakest way to sign in')
  await expect(step.getByRole('button', { name: 'Skip for now' })).toBeVisible()
  await app.shot('3-phone-step')
  await step.getByLabel('Phone number', { exact: true }).fill('+34 600 000 123')
  await step.getByLabel('Phone number again').fill('+34 600 000 123')
  await step.getByRole('checkbox', { name: 'This is not the phone with my authenticator app' }).check()
  await step.getByLabel('Current password').fill(OWNER.password)
  await app.shot('4-phone-form')
  await step.getByRole('button', { name: 'Send a code' }).click()
  await expect(step.getByText(/We sent a code to/)).toContainText('+34 ••• ••• 123')
  await step.getByLabel('Code from the SMS').fill(lastSmsCode())
  await app.shot('5-phone-code')
  await step.getByRole('button', { name: 'Verify phone' }).click()
  await expect(step.getByRole('status')).toContainText(
    '+34 ••• ••• 123 is now your verified emergency phone.',
  )
  await app.shot('6-phone-verified')
  await step.getByRole('button', { name: 'Done' }).click()
  await expect(page.getByRole('region', { name: 'Two-factor authentication' })).toContainText('On since')
  await expect(phonePanel(page)).toContainText('Verified on')
  await expect(phonePanel(page)).toContainText('+34 ••• ••• 123')
  await app.shot('7-profile')

  // The phone with the authenticator app is gone.
  await page.getByRole('button', { name: 'Log out' }).click()
  app.clock.advance(30_000)
  await signIn(page)
  await otherWay(page, 'Send a code to my emergency phone')
  await expect(heading(page, 'Use your emergency phone')).toBeFocused()
  await app.shot('8-lost-device')
  await page.getByRole('button', { name: 'Send a code to my emergency phone' }).click()
  await expect(page.getByText(/We sent a code to/)).toContainText('+34 ••• ••• 123')
  await page.getByLabel('Code from the SMS').fill(lastSmsCode())
  await app.shot('9-sms-code')
  await page.getByRole('button', { name: 'Verify' }).click()

  await expect(heading(page, 'Set up two-factor authentication')).toBeVisible()
  await expect(page.getByText('Your old authenticator app and backup codes no longer work')).toBeVisible()
  await app.shot('10-enroll-required')
  const second = await enrollThroughWizard(app, OWNER.password, (s) => app.shot(`11-${s}`))
  expect(second.key.equals(first.key)).toBe(false)
  await app.shot('12-new-backup-codes')
  await saveCodes(page)
  // The phone survives the lost device: the last step shows it and asks for nothing.
  await expect(heading(page, 'Emergency phone')).toBeVisible()
  await expect(wizard(page)).toContainText('Your emergency phone is +34 ••• ••• 123')
  await expect(wizard(page).getByLabel('Phone number', { exact: true })).toHaveCount(0)
  await app.shot('13-phone-on-file')
  await wizard(page).getByRole('button', { name: 'Done' }).click()
  await expect(welcome(page)).toBeVisible()
  await app.shot('14-signed-in')

  const services = app.backend.services()
  const types = (await services.audit.list(undefined, 200)).events.map((e) => e.type)
  for (const t of ['phone.verified', 'login.sms_code_sent', 'login.sms_recovery', '2fa.enrolled'])
    expect(types).toContain(t)
  // No code, old or new, is ever written to the trail.
  const trail = JSON.stringify((await services.audit.list(undefined, 200)).events)
  for (const c of first.codes) expect(trail).not.toContain(c)
  expect((await services.audit.verify()).ok).toBe(true)
})
