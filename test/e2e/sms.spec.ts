import { expect, test } from './harness'
import { setUp } from './steps'

test('a test message through the local outbox appears masked in Settings → SMS outbox', async ({ app }) => {
  const { page } = app
  await setUp(page, 'keychain')
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click()
  await page.getByRole('tab', { name: 'SMS', exact: true }).click()

  await expect(page.getByRole('radio', { name: /^Local outbox/ })).toBeChecked()
  await expect(page.getByText('Messages are kept here and not sent.', { exact: false })).toBeVisible()
  await page.getByLabel('Phone number').fill('+34 600 000 123')
  await page.getByRole('button', { name: 'Send a test message' }).click()
  const result = page.getByRole('status').filter({ hasText: 'Test message to' })
  await expect(result).toContainText('+34 ••• ••• 123')
  await expect(result).toContainText('Not sent')
  await app.shot('1-sms-settings')

  await page.getByRole('tab', { name: 'SMS outbox' }).click()
  const rows = page.getByRole('table', { name: 'SMS messages' }).getByRole('row')
  await expect(rows).toHaveCount(2)
  await expect(rows.nth(1)).toContainText('+34 ••• ••• 123')
  await expect(rows.nth(1)).toContainText('Not sent')
  await expect(rows.nth(1)).not.toContainText('600000123')
  await app.shot('2-sms-outbox')

  const stored = await app.backend.services().sms.listOutbox({ limit: 10 })
  expect(stored.messages).toHaveLength(1)
  expect(stored.messages[0]).toMatchObject({ to: '+34 ••• ••• 123', status: 'sent', kind: 'test' })
})
