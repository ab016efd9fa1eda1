import type { Page } from '@playwright/test'
import { putPhone } from '../../src/main/db/queries/phones'
import { expect, test } from './harness'
import { enrollThroughWizard, heading, otherWay, OWNER, saveCodes, setUp, signIn } from './steps'

const nav = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true })
const banner = (page: Page) => page.getByRole('complementary', { name: 'SMS setup' })
const wizard = (page: Page) => page.getByRole('region', { name: 'Enable two-factor authentication' })

test('13-06 honest SMS wording', async ({ app }) => {
  const { page } = app
  await setUp(page, 'keychain')

  // No SMS provider yet (the local outbox): the owner is told on every page, with the way to fix it.
  await expect(banner(page)).toContainText('SMS is not set up: messages stay in the local outbox.')
  await app.shot('banner')

  // The wizard's phone step: the code is not claimed to be on its way.
  await nav(page, 'My profile').click()
  await expect(banner(page)).toBeVisible()
  await page
    .getByRole('region', { name: 'Two-factor authentication' })
    .getByRole('button', { name: 'Enable' })
    .click()
  await enrollThroughWizard(app, OWNER.password, async () => {})
  await saveCodes(page)
  const step = wizard(page)
  await step.getByLabel('Phone number', { exact: true }).fill('+34 600 000 123')
  await step.getByLabel('Phone number again').fill('+34 600 000 123')
  await step.getByRole('checkbox', { name: 'This is not the phone with my authenticator app' }).check()
  await step.getByLabel('Current password').fill(OWNER.password)
  await step.getByRole('button', { name: 'Send a code' }).click()
  const status = step.getByRole('status').filter({ hasText: 'Your code for' })
  await expect(status).toHaveText(
    'Your code for +34 ••• ••• 123 was not sent: SMS is not set up here yet, so the message stays in the local outbox. Ask your admin for help.',
  )
  await expect(step).not.toContainText('We sent')
  await app.shot('phone-code-not-sent')

  // The outbox says the same: kept here, not sent.
  await banner(page).getByRole('button', { name: 'Settings → SMS' }).click()
  await expect(page.getByRole('tab', { name: 'SMS', exact: true })).toHaveAttribute('aria-selected', 'true')
  await expect(page.getByRole('radio', { name: /^Local outbox/ })).toBeChecked()
  await app.shot('settings-sms')
  await page.getByRole('tab', { name: 'SMS outbox' }).click()
  const rows = page.getByRole('table', { name: 'SMS messages' }).getByRole('row')
  await expect(rows).toHaveCount(2)
  await expect(rows.nth(1)).toContainText('Not sent')
  await expect(rows.nth(1)).toContainText('Kept')
  await app.shot('outbox')

  // "I lost my device" with a verified phone (set straight in the database: its code never left).
  const { db } = app.backend.services()
  const owner = await app.backend.services().users.byEmail(OWNER.email)
  await putPhone(db, owner.id, '+34600000123', app.clock.now())
  await page.getByRole('button', { name: 'Log out' }).click()
  app.clock.advance(30_000)
  await signIn(page)
  await otherWay(page, 'Send a code to my emergency phone')
  await expect(heading(page, 'Use your emergency phone')).toBeVisible()
  await page.getByRole('button', { name: 'Send a code to my emergency phone' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Your code for' })).toContainText(
    '+34 ••• ••• 123 was not sent: SMS is not set up here yet',
  )
  await expect(page.getByText(/We sent a code/)).toHaveCount(0)
  await app.shot('lost-device-not-sent')
})
