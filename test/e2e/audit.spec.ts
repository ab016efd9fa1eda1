import { readFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { expect, test } from './harness'
import { OWNER, setUp, signIn, unlock, welcome } from './steps'

test('the audit log lists the session events and verifies the chain', async ({ app }) => {
  const { page } = app
  await setUp(page, 'keychain')
  await page.getByRole('button', { name: 'Lock now' }).click()
  await unlock(page)
  await page.getByRole('button', { name: 'Log out' }).click()
  await signIn(page)
  await expect(welcome(page)).toBeVisible()

  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Audit log' }).click()
  const table = page.getByRole('table', { name: 'Audit events' })
  const on = `on ${hostname()}.`
  for (const sentence of [
    `${OWNER.name} set up Tessera and became its first owner ${on}`,
    `${OWNER.name} locked the console ${on}`,
    `${OWNER.name} unlocked the console ${on}`,
    `${OWNER.name} signed out ${on}`,
    `${OWNER.name} signed in with a password ${on}`,
  ]) {
    await expect(table.getByText(sentence, { exact: true })).toBeVisible()
  }
  await expect(table.getByRole('row')).toHaveCount(1 + (await app.backend.services().audit.count()))

  await page.getByRole('button', { name: 'Verify chain' }).click()
  const count = await app.backend.services().audit.count()
  await expect(page.getByRole('status')).toContainText(`Chain intact: ${count} events verified.`)
  await expect(page.getByRole('status')).toContainText(await app.backend.services().audit.headHash())
  await app.shot('1-audit-log')
  expect((await app.backend.services().audit.verify()).ok).toBe(true)

  // An owner saves an anchor of the head: a JSON file the CLI checks the log against later.
  const download = page.waitForEvent('download')
  await page.getByRole('button', { name: 'Save anchor…' }).click()
  const file = await download
  const seq = await app.backend.services().audit.count()
  expect(file.suggestedFilename()).toBe(`tessera-audit-anchor-${seq}.json`)
  const anchor = JSON.parse(readFileSync((await file.path())!, 'utf8')) as { seq: number; hash: string }
  expect(anchor).toMatchObject({ seq, hash: await app.backend.services().audit.headHash() })
  await expect(page.getByText(`Anchored at event #${seq}`)).toBeVisible()
})
