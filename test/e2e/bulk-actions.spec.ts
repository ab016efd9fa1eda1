import type { Page } from '@playwright/test'
import { expect, test } from './harness'
import { heading, OWNER, setUp } from './steps'

const nav = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true })

const MEMBERS = 3000

test('13-02 bulk actions', async ({ app }) => {
  test.setTimeout(240_000)
  const { page } = app
  await setUp(page, 'keychain')
  // Members imported the way an admin would (CSV, in batches), none of them required to use 2FA; every
  // 7th already required.
  const services = app.backend.services()
  const owner = await services.users.byEmail(OWNER.email)
  const rows = Array.from(
    { length: MEMBERS },
    (_, i) =>
      `member${String(i).padStart(4, '0')}@example.com,Member ${String(i).padStart(4, '0')},member,${i % 7 === 0 ? 'yes' : 'no'}`,
  )
  const begun = await services.userImport.begin(`email,name,role,require_2fa\n${rows.join('\n')}\n`, owner)
  await services.userImport.next(begun.importId!, 5000, owner, { via: 'desktop', machine: 'seed' })
  const notRequired = async () =>
    (await services.users.list({ filter: 'off', role: 'member', sort: 'email', limit: 5000 })).users.length

  await nav(page, 'Users').click()
  const table = page.getByRole('table', { name: 'Users' })
  const viewport = page.getByTestId('vtable-viewport')

  // The list is kept while the person visits a user and comes back: sort, filter, search and scroll.
  await page.getByLabel('Sort by').selectOption('email')
  await page.getByRole('group', { name: 'Filter' }).getByRole('button', { name: 'Invited' }).click()
  await page.getByLabel('Search').fill('member0')
  await expect(table.getByRole('row', { name: /member0000@example.com/ })).toBeVisible()
  // The search asks main once the typing pauses (150 ms), and a new search starts at the top.
  await page.waitForTimeout(500)
  await viewport.evaluate((el) => (el.scrollTop = 40 * 40))
  const row = table.getByRole('row', { name: /member0048@example.com/ })
  await expect(row).toBeVisible()
  await row.getByRole('button', { name: 'Member 0048' }).click()
  await expect(heading(page, 'Member 0048')).toBeVisible()
  await page.getByRole('button', { name: '← Users' }).click()
  await expect(table.getByRole('row', { name: /member0048@example.com/ })).toBeVisible()
  await expect(page.getByLabel('Search')).toHaveValue('member0')
  await expect(page.getByLabel('Sort by')).toHaveValue('email')
  await expect(
    page.getByRole('group', { name: 'Filter' }).getByRole('button', { name: 'Invited' }),
  ).toHaveAttribute('aria-pressed', 'true')
  await expect(table.getByRole('row', { name: /member0000@example.com/ })).toHaveCount(0)
  await app.shot('list-kept-after-user-page')

  // "Require 2FA for new users" has its counterpart for the people already here, next to it in Settings.
  await nav(page, 'Settings').click()
  const existing = page.getByLabel('Require 2FA for existing users')
  await existing.selectOption('member')
  await existing.scrollIntoViewIfNeeded()
  await page.getByRole('button', { name: 'Require 2FA…' }).click()
  const forRole = page.getByRole('dialog', { name: 'Require 2FA for 3,000 users?' })
  await expect(forRole).toContainText('2,571 users will be changed; 429 users will be skipped:')
  await app.shot('settings-require-for-a-role')
  await forRole.getByRole('button', { name: 'Cancel' }).click()
  await nav(page, 'Users').click()

  // Three rows ticked: the bar says how many, and offers everyone the filter matches.
  await page.getByLabel('Search').fill('')
  await page.getByRole('group', { name: 'Filter' }).getByRole('button', { name: 'All' }).click()
  await page.getByLabel('Role').selectOption('member')
  await expect(table.getByRole('row', { name: /Member 0001/ })).toBeVisible()
  for (const n of ['0001', '0002', '0007'])
    await page.getByRole('checkbox', { name: `Select Member ${n}` }).check()
  const bar = page.getByRole('region', { name: 'Selected users' })
  await expect(bar.getByRole('status')).toHaveText('3 selected')
  await expect(bar.getByRole('button', { name: 'Select all 3,000 matching this filter' })).toBeVisible()
  await app.shot('selection')

  await bar.getByRole('button', { name: 'Require 2FA' }).click()
  const confirm = page.getByRole('dialog', { name: 'Require 2FA for 3 users?' })
  await expect(confirm).toContainText('2 users will be changed; 1 user will be skipped:')
  await expect(confirm.getByRole('list', { name: 'Will be skipped' })).toContainText(
    '2FA is already required',
  )
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused()
  await app.shot('confirm-with-count')
  await confirm.getByRole('button', { name: 'Cancel' }).click()

  // Everyone matching: one action in main, in batches, with progress.
  await bar.getByRole('button', { name: 'Select all 3,000 matching this filter' }).click()
  await expect(bar.getByRole('status')).toHaveText('All 3,000 users matching this filter selected')
  await bar.getByRole('button', { name: 'Require 2FA' }).click()
  const all = page.getByRole('dialog', { name: 'Require 2FA for 3,000 users?' })
  // 429 of the members (every 7th) are required already.
  await expect(all).toContainText('2,571 users will be changed; 429 users will be skipped:')
  await app.shot('confirm-all-matching')
  await all.getByRole('button', { name: 'Require 2FA' }).click()
  const working = page.getByRole('dialog', { name: 'Require 2FA: working…' })
  await expect(working.getByRole('progressbar', { name: 'Progress' })).toBeVisible()
  await app.shot('progress')
  const done = page.getByRole('dialog', { name: 'Done' })
  await expect(done.getByRole('status')).toHaveText('2,571 users changed, 429 skipped.', { timeout: 120_000 })
  await expect(done.getByRole('list', { name: 'Skipped' })).toContainText('2FA is already required429')
  await app.shot('result')
  expect(await notRequired()).toBe(0)
  await done.getByRole('button', { name: 'Close' }).click()
  await expect(bar).toHaveCount(0)

  // Every person changed has their own event in the audit trail, then the run's summary.
  const recent = await services.audit.list(undefined, 2)
  expect(recent.events.map((e) => e.type)).toEqual(['users.bulk_finished', 'user.2fa_required'])
})
