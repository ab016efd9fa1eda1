import type { Page } from '@playwright/test'
import { expect, test, type App } from './harness'
import { enrollThroughWizard, heading, otherWay, saveCodesAndFinish, setUp } from './steps'
import { totp } from './totp'

const MIA = { email: 'mia@example.com', name: 'Mia Member', password: 'orchid-lantern-harbour-9' }
const SAM = { email: 'sam@example.com', name: 'Sam Support', password: 'copper-meadow-violin-73' }
type Person = typeof MIA
const ASK = {
  message: 'My phone with the authenticator app was stolen on the train this morning.',
  contact: 'Desk 4B, extension 2210',
}

const nav = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true })
const region = (page: Page, name: string) => page.getByRole('region', { name, exact: true })
const logOut = (page: Page) => page.getByRole('button', { name: 'Log out' }).click()

/** The owner adds someone (2FA required, the policy's default) and reads the invitation code off the dialog. */
async function invite(page: Page, who: Person, role: 'member' | 'support'): Promise<string> {
  await page.getByRole('button', { name: 'Add user' }).click()
  const add = page.getByRole('dialog', { name: 'Add user' })
  await add.getByLabel('Email').fill(who.email)
  await add.getByLabel('Name').fill(who.name)
  await add.getByLabel('Role').selectOption(role)
  await add.getByRole('button', { name: 'Add user' }).click()
  const shown = page.getByRole('dialog', { name: 'Invitation code' })
  const code = (await shown.getByLabel('Invitation code').textContent())!.trim()
  await shown.getByRole('button', { name: 'Done' }).click()
  return code
}

/** Activation on the sign-in screen, straight into the wizard; signed in at the end. Returns the app's key. */
async function activateAndEnroll(app: App, who: Person, code: string, shot: (s: string) => Promise<void>) {
  const { page } = app
  await page.getByRole('button', { name: 'Activate an account' }).click()
  await page.getByLabel('Email').fill(who.email)
  await page.getByLabel('Invitation code').fill(code)
  await page.getByLabel('New password', { exact: true }).fill(who.password)
  await page.getByLabel('Confirm new password').fill(who.password)
  await page.getByRole('button', { name: 'Activate account' }).click()
  await expect(heading(page, 'Set up two-factor authentication')).toBeVisible()
  const { key } = await enrollThroughWizard(app, who.password, shot)
  await saveCodesAndFinish(page)
  await expect(heading(page, `Welcome, ${who.name}`)).toBeVisible()
  return key
}

async function password(page: Page, who: Person) {
  await expect(heading(page, 'Sign in to Tessera')).toBeVisible()
  await page.getByLabel('Email').fill(who.email)
  await page.getByLabel('Password').fill(who.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(heading(page, 'Two-factor authentication')).toBeVisible()
}

test('a member without their device asks support, an agent verifies and reads out a code, the member re-enrolls', async ({
  app,
  context,
}) => {
  const { page } = app
  await setUp(page, 'keychain')

  // The owner lets codes be issued right after approval, and adds a support agent and a member.
  await nav(page, 'Settings').click()
  const coolingOff = page.getByLabel('Cooling-off after approval (minutes)')
  await expect(coolingOff).toHaveValue('60')
  await coolingOff.fill('0')
  await page.getByRole('button', { name: 'Save settings' }).click()
  await expect(page.getByText('Settings saved.')).toBeVisible()
  await app.shot('1-policy')
  await nav(page, 'Users').click()
  const samCode = await invite(page, SAM, 'support')
  const miaCode = await invite(page, MIA, 'member')
  await expect(page.getByRole('table', { name: 'Users' })).toContainText(SAM.name)
  await logOut(page)

  // Both activate on this machine and enroll an authenticator; Mia skips the emergency phone.
  const samKey = await activateAndEnroll(app, SAM, samCode, () => Promise.resolve())
  await logOut(page)
  const miaFirstKey = await activateAndEnroll(app, MIA, miaCode, () => Promise.resolve())
  await logOut(page)
  app.clock.advance(30_000)

  // Mia's phone is gone, and with it the app: after the password she asks support.
  await password(page, MIA)
  await page.getByRole('button', { name: 'Having trouble?' }).click()
  // No verified emergency phone: no SMS is offered.
  await expect(page.getByRole('button', { name: 'Ask support for help' })).toBeVisible()
  await expect(page.getByRole('button', { name: 'Send a code to my emergency phone' })).toHaveCount(0)
  await app.shot('2-lost-device-no-phone')
  await page.getByRole('button', { name: 'Ask support for help' }).click()
  await page.getByLabel('What happened').fill(ASK.message)
  await page.getByLabel('How can support reach you').fill(ASK.contact)
  await app.shot('3-ask-support')
  await page.getByRole('button', { name: 'Send the request to support' }).click()
  await expect(heading(page, 'Your request is with support')).toBeVisible()
  await expect(page.getByText('#1', { exact: true })).toBeVisible()
  await expect(page.getByText('Support will verify your identity before anything happens')).toBeVisible()
  await expect(page.getByRole('status')).toHaveText(
    'You have no verified emergency phone, so no text message was sent.',
  )
  await app.shot('4-request-filed')
  await page.getByRole('button', { name: 'Back to sign-in' }).click()
  await expect(heading(page, 'Sign in to Tessera')).toBeVisible()

  // Sam, at the support desk: another window, its own session.
  const desk = await context.newPage()
  await desk.goto(app.origin)
  await password(desk, SAM)
  await desk.getByLabel('6-digit code').fill(totp(samKey, app.clock.now()))
  await desk.getByRole('button', { name: 'Verify' }).click()
  await expect(heading(desk, `Welcome, ${SAM.name}`)).toBeVisible()
  await expect(nav(desk, 'Recovery, 1 waiting')).toBeVisible()
  await desk
    .getByRole('region', { name: 'Figures' })
    .getByRole('button', { name: 'Open recovery requests: 1. Open the Recovery queue' })
    .click()
  await expect(heading(desk, 'Recovery')).toBeVisible()
  const queue = desk.getByRole('table', { name: 'Recovery requests' })
  const row = queue.getByRole('row', { name: new RegExp(MIA.name) })
  await expect(row).toContainText('#1')
  await expect(row).toContainText('Open')
  await expect(row).toContainText('Member')
  await expect(row).toContainText('0/1')
  await app.shot('5-queue', desk)

  await row.getByRole('button', { name: MIA.name }).click()
  await expect(heading(desk, `Request #1: ${MIA.name}`)).toBeVisible()
  await expect(region(desk, 'Their request')).toContainText(ASK.message)
  await expect(region(desk, 'Person')).toContainText('None verified')
  const decision = region(desk, 'Decision')
  const approve = decision.getByRole('button', { name: 'Approve' })
  await expect(approve).toBeDisabled()
  await expect(decision).toContainText('Record at least 2 identity checks before approving (0 so far).')
  await app.shot('6-request', desk)

  const checks = region(desk, 'Identity checks')
  await checks
    .getByRole('checkbox', { name: /Called the person back on a number from the company directory/ })
    .check()
  await checks.getByRole('checkbox', { name: /matched an official photo ID/ }).check()
  await checks
    .getByLabel('Note')
    .fill('Called back on 2210 from the directory; matched her badge photo on video.')
  await checks.getByRole('button', { name: 'Record' }).click()
  await expect(checks.getByText('2 checks recorded.')).toBeVisible()
  await expect(checks.getByRole('list', { name: 'Recorded checks' }).getByRole('listitem')).toHaveCount(2)
  await expect(checks.getByRole('list', { name: 'Recorded checks' })).toContainText(SAM.name)
  await expect(region(desk, 'Notes')).toContainText('matched her badge photo on video')
  await expect(approve).toBeEnabled()
  await app.shot('7-checks-recorded', desk)

  await approve.click()
  const confirm = desk.getByRole('dialog', { name: 'Approve request #1?' })
  await expect(confirm).toContainText('A temporary access code can then be issued right away.')
  await app.shot('8-approve', desk)
  await confirm.getByRole('button', { name: 'Approve' }).click()
  await expect(confirm).toHaveCount(0)
  await expect(decision).toContainText('1 of 1')
  await expect(decision.getByRole('list', { name: 'Approvals' })).toContainText(`Approved by ${SAM.name}`)

  await decision.getByRole('button', { name: 'Issue temporary access code' }).click()
  const issue = desk.getByRole('dialog', { name: `Issue a temporary access code for ${MIA.name}?` })
  await expect(issue).toContainText('the code is shown to you once')
  await issue.getByRole('button', { name: 'Issue code' }).click()
  const shown = region(desk, 'Temporary access code')
  await expect(shown).toContainText('Read this code to the person; it will not be shown again.')
  const codeBox = shown.getByLabel('Code')
  const code = (await codeBox.textContent())!.trim()
  // 26 symbols in even groups, none of one letter; focused as it appears, for a screen reader.
  expect(code).toMatch(/^[A-Z2-9]{5} [A-Z2-9]{5}( [A-Z2-9]{4}){4}$/)
  await expect(codeBox).toBeFocused()
  await app.shot('9-code-shown-once', desk)
  await shown.getByRole('button', { name: 'Read it aloud' }).click()
  const spelled = shown.getByRole('list', { name: 'Spelled for reading aloud' })
  await expect(spelled.getByRole('listitem')).toHaveCount(6)
  await app.shot('9-code-read-aloud', desk)
  await shown.getByRole('button', { name: 'Done, hide the code' }).click()
  await expect(shown).toHaveCount(0)
  await expect(desk.getByText(code.split(' ')[0]!)).toHaveCount(0)

  // Mia, told the code on the phone: password, then the code, then a new authenticator.
  await password(page, MIA)
  await otherWay(page, 'Ask support for help')
  await page.getByRole('button', { name: 'I have a temporary access code from support' }).click()
  await page.getByLabel('Temporary access code').fill(code)
  await app.shot('10-access-code')
  await page.getByRole('button', { name: 'Continue' }).click()
  await expect(heading(page, 'Set up two-factor authentication')).toBeVisible()
  await expect(page.getByText('Your old authenticator app and backup codes no longer work')).toBeVisible()
  await app.shot('11-enroll-required')
  const second = await enrollThroughWizard(app, MIA.password, (s) => app.shot(`12-${s}`))
  expect(second.key.equals(miaFirstKey)).toBe(false)
  await saveCodesAndFinish(page)
  await expect(heading(page, `Welcome, ${MIA.name}`)).toBeVisible()
  await app.shot('13-signed-in')

  // At the desk the request is completed, with its history.
  await desk
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: /^Recovery/ })
    .click()
  await expect(desk.getByText('No request is waiting for support.')).toBeVisible()
  // Reading the queue brings the navigation's count up to date.
  await expect(nav(desk, 'Recovery')).toBeVisible()
  await desk.getByRole('group', { name: 'Filter' }).getByRole('button', { name: 'All' }).click()
  await expect(row).toContainText('Completed')
  await row.getByRole('button', { name: MIA.name }).click()
  await expect(heading(desk, `Request #1: ${MIA.name}`)).toBeVisible()
  await expect(region(desk, 'Decision')).toContainText('Completed')
  await expect(region(desk, 'History')).toContainText(
    `${MIA.name} signed in with the temporary access code from recovery request #1`,
  )
  await app.shot('14-completed', desk)

  const services = app.backend.services()
  const events = (await services.audit.list(undefined, 300)).events
  const types = events.map((e) => e.type)
  for (const t of [
    'recovery.requested',
    'recovery.verifying',
    'recovery.checks_recorded',
    'recovery.approved',
    'recovery.code_issued',
    'recovery.completed',
    '2fa.revoked_after_support_recovery',
  ])
    expect(types).toContain(t)
  // Neither the code nor what Mia wrote is in the trail.
  const trail = JSON.stringify(events)
  expect(trail).not.toContain(code.replace(/ /g, ''))
  expect(trail).not.toContain(code.replace(/ /g, '-'))
  expect(trail).not.toContain(ASK.message)
  expect((await services.audit.verify()).ok).toBe(true)
  await desk.close()
})
