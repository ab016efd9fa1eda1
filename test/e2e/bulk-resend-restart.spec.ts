import { readFileSync } from 'node:fs'
import type { Page } from '@playwright/test'
import { BulkActionService } from '../../src/main/core/bulk'
import { expect, test } from './harness'
import { OWNER, setUp } from './steps'

const nav = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true })

test('13-02 re-sent invitation codes survive a console killed before the hand-over', async ({ app }) => {
  const { page } = app
  await setUp(page, 'keychain')
  const services = app.backend.services()
  const owner = await services.users.byEmail(OWNER.email)
  const client = { via: 'desktop', machine: 'seed' } as const
  for (const x of ['ana', 'ben', 'cy'])
    await services.users.create({ email: `${x}@example.com`, name: x, role: 'member' }, owner, client)
  // Another console re-sent their invitations and was killed before it asked for the result: the new
  // codes replaced the old ones, and nobody has seen them.
  const killed = new BulkActionService({
    db: services.db,
    clock: app.clock,
    audit: services.audit,
    users: services.users,
    twoFactor: services.twoFactor,
  })
  const job = await killed.start({ kind: 'matching', filter: 'invited' }, 'resend-invitation', owner, client)
  await killed.settled(job.jobId)

  await nav(page, 'Users').click()
  const offer = page.getByRole('region', { name: 'Unsaved re-sent invitations' })
  await expect(offer).toContainText(
    '3 new invitation codes were never saved, and the old codes no longer work',
  )
  await app.shot('01-offer-on-users-page')

  const download = page.waitForEvent('download')
  await offer.getByRole('button', { name: 'Download 3 invitation codes' }).click()
  const file = await download
  expect(file.suggestedFilename()).toBe('tessera-invitations.csv')
  const lines = readFileSync((await file.path())!, 'utf8')
    .split('\r\n')
    .filter(Boolean)
  expect(lines).toHaveLength(4)
  await expect(offer).toHaveCount(0)
  await app.shot('02-codes-saved')

  // The downloaded code is the one that works.
  const [email, , , code] = lines[1]!.split(',')
  const { user } = await services.users.activate(email!, code!, 'quiet-orchard-ladder-93', client)
  expect(user.email).toBe(email)
})
