import type { Page } from '@playwright/test'
import { addUser } from '../fixtures/backend'
import { expect, test } from './harness'
import { heading, setUp } from './steps'
import { base32Decode, totp } from './totp'

const NOA = { email: 'noa@example.com', name: 'Noa Member', password: 'orchid-lantern-harbour-9' }
const ASK = {
  message: 'My phone with the authenticator app fell in the harbour.',
  contact: 'Desk 4B, extension 2210',
}
const MINUTE = 60_000

const region = (page: Page, name: string) => page.getByRole('region', { name, exact: true })

// An agent decides a lost-device request with the facts beside it and a next step that follows the status.
test('13-05 agent facts', async ({ app }) => {
  const { page } = app
  await setUp(page, 'keychain')

  // Noa's history, as the console and her own sign-ins recorded it: 2FA with a backup code spent on a
  // sign-in, a few wrong passwords since, and an earlier request that was denied.
  const services = app.backend.services()
  const client = app.backend.client
  await services.policy.update({ recoveryCoolingOffMinutes: 0, idleLockMinutes: 60 }, null)
  const noaId = await addUser(app.backend, { ...NOA, role: 'member' })
  const noa = { id: noaId, email: NOA.email }
  const start = await services.twoFactor.startEnrollment(noa, client)
  const { backupCodes } = await services.twoFactor.confirmEnrollment(
    noaId,
    totp(base32Decode(start.manualKey.replace(/ /g, '')), app.clock.now()),
    client,
  )
  app.clock.advance(MINUTE)
  await services.auth.login(NOA.email, NOA.password, client)
  await services.auth.verifySecondFactor(noaId, { backupCode: backupCodes[0]! }, client)
  app.clock.advance(2 * MINUTE)
  for (let i = 0; i < 3; i++) {
    await services.auth.login(NOA.email, 'not her password', client).catch(() => undefined)
    app.clock.advance(MINUTE)
  }
  const earlier = await services.recovery.file(noaId, ASK, client)
  const owner = { id: 1, email: 'owner@example.com', name: 'Olivia Owner', role: 'owner' as const }
  await services.recovery.deny(earlier.requestId, 'She found the phone again.', owner, client)
  const { requestId } = await services.recovery.file(noaId, ASK, client)

  // The owner, working the queue, opens the new request.
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: /^Recovery/ })
    .click()
  await page.getByRole('table', { name: 'Recovery requests' }).getByRole('button', { name: NOA.name }).click()
  await expect(heading(page, `Request #${requestId}: ${NOA.name}`)).toBeVisible()

  const next = page.getByRole('status', { name: 'Next step' })
  await expect(next).toContainText(
    `New request: call ${NOA.name} back on a number from the company directory`,
  )
  const facts = region(page, 'Facts to decide with')
  await expect(facts).toContainText('Last sign-in')
  await expect(facts).toContainText('3 failures · latest')
  await expect(facts).toContainText('4 of 5 left')
  await expect(facts).toContainText('Suggest the person signs in with a backup code')
  await expect(facts).toContainText('No verified phone')
  await expect(facts).toContainText('1 other request')
  await expect(facts.getByRole('list', { name: 'Other requests' })).toContainText(
    `Request #${earlier.requestId} denied`,
  )
  // Nothing secret crosses: no backup code on the page.
  for (const code of backupCodes) await expect(page.getByText(code)).toHaveCount(0)
  await app.shot('facts')

  // Two identity checks: the next step moves on to the decision.
  const checks = region(page, 'Identity checks')
  await checks
    .getByRole('checkbox', { name: /Called the person back on a number from the company directory/ })
    .check()
  await checks.getByRole('checkbox', { name: /manager confirmed/ }).check()
  await checks.getByRole('button', { name: 'Record' }).click()
  await expect(next).toContainText(
    `Enough checks are recorded: approve if you are sure the person asking is ${NOA.name}, or deny.`,
  )
  await app.shot('checks-recorded')

  const decision = region(page, 'Decision')
  await decision.getByRole('button', { name: 'Approve' }).click()
  await page
    .getByRole('dialog', { name: `Approve request #${requestId}?` })
    .getByRole('button', { name: 'Approve' })
    .click()
  await expect(next).toContainText(
    `Approved: issue the temporary access code and read it to ${NOA.name} on the channel you verified.`,
  )
  const issue = decision.getByRole('button', { name: 'Issue temporary access code' })
  await expect(issue).toHaveClass(/btn-primary/)
  await app.shot('approved')

  await issue.click()
  await page.getByRole('dialog').getByRole('button', { name: 'Issue code' }).click()
  const shown = region(page, 'Temporary access code')
  await expect(shown).toBeVisible()
  await shown.getByRole('button', { name: 'Done, hide the code' }).click()
  await expect(shown).toHaveCount(0)

  // The code is out: the next step is to wait, and issuing again is only a secondary action.
  await expect(next).toContainText(
    `wait for ${NOA.name} to use it. Issue again only if it did not reach them.`,
  )
  const again = decision.getByRole('button', { name: 'Issue again' })
  await expect(again).toHaveClass(/btn-secondary/)
  await expect(decision.getByRole('button', { name: 'Issue temporary access code' })).toHaveCount(0)
  await app.shot('code-issued')

  // The earlier request is a click away, with its own closing sentence.
  await facts.getByRole('button', { name: `Request #${earlier.requestId}` }).click()
  await expect(heading(page, `Request #${earlier.requestId}: ${NOA.name}`)).toBeVisible()
  await expect(next).toContainText('Closed: the request was denied.')
  await app.shot('earlier-request')
})
