import type { Page } from '@playwright/test'
import { readFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import { PasswordHasher } from '../../src/main/core/passwords'
import { insertUser } from '../../src/main/db/queries/users'
import { sqlValue } from '../fixtures/sql'
import { expect, test } from './harness'
import {
  enrollThroughWizard,
  heading,
  otherWay,
  OWNER,
  saveCodesAndFinish,
  setUp,
  signIn,
  welcome,
} from './steps'
import { base32Decode, totp } from './totp'

const nav = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name })
const twoFactorPanel = (page: Page) => page.getByRole('region', { name: 'Two-factor authentication' })

test('enroll an authenticator app, then sign in with its code and with a backup code', async ({ app }) => {
  const { page } = app
  await setUp(page, 'keychain', () => app.shot('1-setup'))

  await nav(page, 'My profile').click()
  await expect(twoFactorPanel(page)).toContainText('Off')
  await app.shot('2-profile-off')
  await twoFactorPanel(page).getByRole('button', { name: 'Enable' }).click()
  const { key, codes } = await enrollThroughWizard(app, OWNER.password, (s) => app.shot(`3-${s}`))

  const download = page.waitForEvent('download')
  await page.getByRole('button', { name: 'Download as .txt' }).click()
  const file = await download
  expect(file.suggestedFilename()).toBe('tessera-backup-codes.txt')
  const text = await readFile((await file.path())!, 'utf8')
  expect(text).toContain('Tessera backup codes')
  for (const c of codes) expect(text).toContain(c)
  await app.shot('4-backup-codes')
  await saveCodesAndFinish(page)
  await expect(twoFactorPanel(page)).toContainText('On since')
  await expect(twoFactorPanel(page)).toContainText('5/5 left')
  await expect(page.getByText(codes[0]!)).toHaveCount(0)
  await app.shot('5-profile-on')

  // The enrollment code's time step is spent; the phone shows the next one 30 s later.
  await page.getByRole('button', { name: 'Log out' }).click()
  app.clock.advance(30_000)
  await signIn(page)
  await expect(page.getByText('Enter the 6-digit code from your authenticator app')).toBeVisible()
  await app.shot('6-second-step')
  await page.getByLabel('6-digit code').fill(totp(key, app.clock.now()))
  await page.getByRole('button', { name: 'Verify' }).click()
  await expect(welcome(page)).toBeVisible()
  await expect(page.getByText(/signed in with a backup code/)).toHaveCount(0)

  await page.getByRole('button', { name: 'Log out' }).click()
  await signIn(page)
  await otherWay(page, 'Use a backup code')
  await page.getByLabel('Backup code').fill(codes[0]!)
  await app.shot('7-backup-code')
  await page.getByRole('button', { name: 'Verify' }).click()
  await expect(welcome(page)).toBeVisible()
  await expect(page.getByRole('status').filter({ hasText: 'backup codes left' })).toContainText(
    'You have 4 backup codes left.',
  )
  await app.shot('8-codes-left')

  await nav(page, 'My profile').click()
  await expect(twoFactorPanel(page)).toContainText('4/5 left')
  const slots = page.getByRole('list', { name: 'Backup code slots' }).getByRole('listitem')
  await expect(slots).toHaveCount(5)
  await expect(slots.filter({ hasText: 'unused' })).toHaveCount(4)
  const used = slots.filter({ hasText: 'used at' })
  await expect(used).toHaveCount(1)
  await expect(used).toContainText(`on ${hostname()}`)
  await expect(used).toContainText(new Date(app.clock.now()).getFullYear().toString())
  await app.shot('9-profile-slot-used')

  const services = app.backend.services()
  const events = (await services.audit.list(undefined, 100)).events
  const types = events.map((e) => e.type)
  for (const t of ['2fa.enrollment_started', '2fa.enrolled', '2fa.code_accepted', '2fa.backup_code_used'])
    expect(types).toContain(t)
  expect(events.find((e) => e.type === '2fa.backup_code_used')!.data).toMatchObject({ slot: 1, remaining: 4 })
  const trail = JSON.stringify(events)
  for (const c of codes) expect(trail).not.toContain(c)
  expect((await services.audit.verify()).ok).toBe(true)
})

test('a user required to have 2FA goes straight into the wizard and ends signed in', async ({ app }) => {
  const { page } = app
  await setUp(page, 'keychain')
  const rita = { email: 'rita@example.com', name: 'Rita Required', password: 'copper-meadow-violin-77' }
  const { db } = app.backend.services()
  await insertUser(db, {
    email: rita.email,
    name: rita.name,
    role: 'member',
    status: 'active',
    password_hash: await new PasswordHasher().hash(rita.password),
    now: app.clock.now(),
    require_2fa: 1,
  })
  await page.getByRole('button', { name: 'Log out' }).click()
  await expect(heading(page, 'Sign in to Tessera')).toBeVisible()
  await page.getByLabel('Email').fill(rita.email)
  await page.getByLabel('Password').fill(rita.password)
  await page.getByRole('button', { name: 'Sign in' }).click()

  await expect(heading(page, 'Set up two-factor authentication')).toBeVisible()
  await expect(page.getByText('Your administrator requires two-factor authentication')).toBeVisible()
  await app.shot('1-required')
  await enrollThroughWizard(app, rita.password, (s) => app.shot(`2-${s}`))
  await app.shot('3-backup-codes')
  await saveCodesAndFinish(page)
  await expect(heading(page, `Welcome, ${rita.name}`)).toBeVisible()
  await app.shot('4-signed-in')

  const services = app.backend.services()
  const ritaId = await sqlValue<number>(db, 'SELECT id FROM users WHERE email = ?', rita.email)
  expect(await services.twoFactor.status(ritaId)).toMatchObject({ enrolled: true, backupCodesRemaining: 5 })
  const [last] = (await services.audit.list(undefined, 1)).events
  expect(last).toMatchObject({ type: 'login.succeeded', actorId: ritaId })
  expect((await services.audit.verify()).ok).toBe(true)
})

test('the test’s own TOTP gives the RFC 6238 Appendix B values (SHA-1)', () => {
  const key = Buffer.from('12345678901234567890')
  expect(base32Decode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ')).toEqual(key)
  expect([59, 1111111109, 1234567890, 2000000000].map((t) => totp(key, t * 1000))).toEqual([
    '287082',
    '081804',
    '005924',
    '279037',
  ])
})
