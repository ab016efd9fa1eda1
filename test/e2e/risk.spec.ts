import type { Page } from '@playwright/test'
import { putPhone } from '../../src/main/db/queries/phones'
import { addFailure, setLock } from '../../src/main/db/queries/throttle'
import { insertTotp, replaceBackupCodes, spendBackupCode } from '../../src/main/db/queries/two-factor'
import { insertUser } from '../../src/main/db/queries/users'
import { sqlRun } from '../fixtures/sql'
import { expect, test } from './harness'
import { heading, OWNER, setUp } from './steps'

const nav = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true })
const DAY = 24 * 60 * 60_000

test('13-03 risk with reasons', async ({ app }) => {
  const { page } = app
  await setUp(page, 'keychain')
  const services = app.backend.services()
  const { db } = services
  const now = app.clock.now()
  const owner = await services.users.byEmail(OWNER.email)
  await services.policy.update({ gracePeriodDays: 3 }, owner.id)

  /** An active person; with `codes` unused backup codes (of 5) and a phone when enrolled. */
  const person = async (
    name: string,
    role: 'admin' | 'member',
    opts: { enrolled?: { codes: number; phone: boolean }; requiredSince?: number } = {},
  ) => {
    const id = await insertUser(db, {
      email: `${name.split(' ')[0]!.toLowerCase()}@example.com`,
      name,
      role,
      status: 'active',
      password_hash: null,
      now,
      require_2fa: opts.requiredSince !== undefined ? 1 : 0,
    })
    if (opts.requiredSince !== undefined)
      await sqlRun(db, 'UPDATE users SET require_2fa_since = ? WHERE id = ?', opts.requiredSince, id)
    if (opts.enrolled) {
      await insertTotp(db, id, new Uint8Array(20).fill(id), now - 30 * DAY, 0)
      await replaceBackupCodes(db, id, ['a', 'b', 'c', 'd', 'e'], now - 30 * DAY)
      for (let s = 1; s <= 5 - opts.enrolled.codes; s++) await spendBackupCode(db, id, s, now, 'desk-7')
      if (opts.enrolled.phone) await putPhone(db, id, `+3460000${String(id).padStart(4, '0')}`, now)
    }
    return id
  }
  await db.transaction(async () => {
    await person('Ada Admin', 'admin')
    await person('Ben Backup', 'member', { enrolled: { codes: 1, phone: true } })
    await person('Cleo Codes', 'member', { enrolled: { codes: 0, phone: false } })
    await person('Dan Overdue', 'member', { requiredSince: now - 4 * DAY })
    await person('Eli Early', 'member', { requiredSince: now - 1 * DAY })
    const fay = await person('Fay Locked', 'member', { enrolled: { codes: 5, phone: true } })
    await person('Gus Good', 'member', { enrolled: { codes: 5, phone: true } })
    const failures = await addFailure(db, { userId: fay, factor: 'password' }, now)
    await setLock(
      db,
      { userId: fay, factor: 'password' },
      { until: now + DAY, permanent: false, failure: failures },
    )
  })

  // The dashboard counts everyone at risk, for every reason: the owner and five of the seven.
  await nav(page, 'Users').click()
  await nav(page, 'Dashboard').click()
  const atRisk = page.getByRole('button', { name: /^At risk: 6\./ })
  await expect(atRisk).toBeVisible()
  await app.shot('dashboard')

  // Its figure opens the Users page on the same people, each with the worst reason in words.
  await atRisk.click()
  const table = page.getByRole('table', { name: 'Users' })
  await expect(table.getByRole('row')).toHaveCount(7)
  const risk = (name: string) => table.getByRole('row', { name: new RegExp(name) })
  await expect(risk('Olivia Owner')).toContainText('Owner without 2FA')
  await expect(risk('Ada Admin')).toContainText('Admin without 2FA')
  await expect(risk('Ben Backup')).toContainText('1 backup code left')
  await expect(risk('Cleo Codes')).toContainText('No backup codes +1 more')
  await expect(risk('Cleo Codes').getByTitle('No backup codes; No verified phone')).toBeVisible()
  await expect(risk('Dan Overdue')).toContainText('2FA overdue')
  await expect(risk('Fay Locked')).toContainText('Locked until')
  await expect(table).not.toContainText('Eli Early')
  await expect(table).not.toContainText('Gus Good')
  await app.shot('users-at-risk')

  // The user page lists every reason, worst first, with what to do.
  await risk('Cleo Codes').getByRole('button', { name: 'Cleo Codes' }).click()
  await expect(heading(page, 'Cleo Codes')).toBeVisible()
  const reasons = page.getByRole('region', { name: 'At risk' }).getByRole('listitem')
  await expect(reasons).toHaveCount(2)
  await expect(reasons.nth(0)).toContainText('No backup codes. Every backup code is used')
  await expect(reasons.nth(1)).toContainText('No verified phone. Without a verified emergency phone')
  await app.shot('user-page-reasons')

  await page.getByRole('button', { name: '← Users' }).click()
  await risk('Ada Admin').getByRole('button', { name: 'Ada Admin' }).click()
  await expect(heading(page, 'Ada Admin')).toBeVisible()
  await expect(page.getByRole('region', { name: 'At risk' })).toContainText(
    'Admin without 2FA. Whoever has this password can manage users and settings.',
  )
  await app.shot('admin-without-2fa')

  // Requiring 2FA does not take an admin off the list: only setting it up does.
  await page.getByRole('button', { name: 'Require 2FA', exact: true }).click()
  await page.getByRole('dialog').getByRole('button', { name: 'Require 2FA' }).click()
  await expect(page.getByRole('region', { name: 'At risk' })).toContainText('Admin without 2FA')
})
