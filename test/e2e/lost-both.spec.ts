import type { Page } from '@playwright/test'
import { findUserByEmail } from '../../src/main/db/queries/users'
import { expect, test, type App } from './harness'
import { enrollThroughWizard, heading, OWNER, saveCodesAndFinish, setUp } from './steps'

const MIA = { email: 'mia@example.com', name: 'Mia Member', password: 'orchid-lantern-harbour-9' }
const NEW_PASSWORD = 'copper-river-meadow-58'
const ASK = {
  message: 'I forgot my password, and my phone with the authenticator app was stolen on the train.',
  contact: 'Desk 4B, extension 2210',
}

const logOut = (page: Page) => page.getByRole('button', { name: 'Log out' }).click()

/** The owner adds Mia as a member; she activates on this machine and enrolls an authenticator app. */
async function addMia(app: App) {
  const { page } = app
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Users', exact: true })
    .click()
  await page.getByRole('button', { name: 'Add user' }).click()
  const add = page.getByRole('dialog', { name: 'Add user' })
  await add.getByLabel('Email').fill(MIA.email)
  await add.getByLabel('Name').fill(MIA.name)
  await add.getByLabel('Role').selectOption('member')
  await add.getByRole('button', { name: 'Add user' }).click()
  const shown = page.getByRole('dialog', { name: 'Invitation code' })
  const code = (await shown.getByLabel('Invitation code').textContent())!.trim()
  await shown.getByRole('button', { name: 'Done' }).click()
  await logOut(page)

  await page.getByRole('button', { name: 'Activate an account' }).click()
  await page.getByLabel('Email').fill(MIA.email)
  await page.getByLabel('Invitation code').fill(code)
  await page.getByLabel('New password', { exact: true }).fill(MIA.password)
  await page.getByLabel('Confirm new password').fill(MIA.password)
  await page.getByRole('button', { name: 'Activate account' }).click()
  await expect(heading(page, 'Set up two-factor authentication')).toBeVisible()
  const { key } = await enrollThroughWizard(app, MIA.password, () => Promise.resolve())
  await saveCodesAndFinish(page)
  await expect(heading(page, `Welcome, ${MIA.name}`)).toBeVisible()
  await logOut(page)
  app.clock.advance(30_000)
  return key
}

test('lost both the password and the authenticator: a request with the email alone, support’s code, a new password, a new authenticator', async ({
  app,
}) => {
  const { page } = app
  await setUp(page, 'keychain')
  const services = () => app.backend.services()
  await services().policy.update({ recoveryCoolingOffMinutes: 0 }, null)
  const firstKey = await addMia(app)

  // Mia forgot her password and lost her phone: "Forgot password?" offers the way for both.
  await expect(heading(page, 'Sign in to Tessera')).toBeVisible()
  await page.getByRole('button', { name: 'Forgot password?' }).click()
  await expect(heading(page, 'Forgot your password?')).toBeVisible()
  await page.getByLabel('Email').fill(MIA.email)
  await expect(page.getByText('Lost your authenticator app as well?')).toBeVisible()
  await app.shot('1-forgot-password')
  await page.getByRole('button', { name: 'I also lost my authenticator app' }).click()
  await expect(heading(page, 'Ask support for help')).toBeVisible()
  await expect(page.getByLabel('Email')).toHaveValue(MIA.email)
  await page.getByRole('button', { name: 'Send the request to support' }).click()
  await expect(
    page.getByText('Tell support in a few words what happened (at least 10 characters)'),
  ).toBeVisible()
  await app.shot('2-ask-support-empty')
  await page.getByLabel('What happened').fill(ASK.message)
  await page.getByLabel('How can support reach you').fill(ASK.contact)
  await app.shot('3-ask-support')
  await page.getByRole('button', { name: 'Send the request to support' }).click()
  await expect(page.getByRole('status')).toContainText(
    `If an account uses ${MIA.email}, support now has your request and will contact you as you asked.`,
  )
  await expect(page.getByText('Then they give you a temporary access code')).toBeVisible()
  await app.shot('4-request-sent')

  // Support (the owner, through the services standing in for the desk) checks, approves and issues a code.
  const { requests } = await services().recovery.list({ status: 'live', limit: 10 })
  expect(requests).toMatchObject([{ purpose: 'both', status: 'open', user: { email: MIA.email } }])
  const requestId = requests[0]!.id
  const owner = (await findUserByEmail(services().db, OWNER.email))!
  const agent = { id: owner.id, email: owner.email, name: owner.name, role: 'owner' as const }
  const client = app.backend.client
  await services().recovery.check(requestId, { checks: ['callback_known_number', 'photo_id'] }, agent, client)
  await services().recovery.approve(requestId, undefined, agent, client)
  const issued = await services().recovery.issueCode(requestId, agent, client)
  if (issued.delivery !== 'agent') throw new Error('expected the code to be shown to the agent')

  // Mia, told the code on the phone: the code, a new password twice; a wrong code first.
  await page.getByRole('button', { name: 'I have a temporary access code from support' }).click()
  await expect(heading(page, 'Sign in with a temporary access code')).toBeVisible()
  await expect(page.getByLabel('Email')).toHaveValue(MIA.email)
  await page.getByLabel('Temporary access code').fill('AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-A')
  await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD)
  await page.getByLabel('New password again').fill(NEW_PASSWORD)
  await page.getByRole('button', { name: 'Change password and continue' }).click()
  await expect(page.getByRole('alert')).toHaveText('This temporary access code is not correct.')
  await expect(page.getByLabel('New password', { exact: true })).toHaveValue('')
  await app.shot('5-wrong-code')
  await page.getByLabel('Temporary access code').fill(issued.code.replace(/-/g, ' '))
  await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD)
  await page.getByLabel('New password again').fill(NEW_PASSWORD)
  await app.shot('6-access-code')
  await page.getByRole('button', { name: 'Change password and continue' }).click()

  // Straight into enrolling a new authenticator, with the new password.
  await expect(heading(page, 'Set up two-factor authentication')).toBeVisible()
  await expect(page.getByText('Your old authenticator app and backup codes no longer work')).toBeVisible()
  await app.shot('7-enroll-required')
  const second = await enrollThroughWizard(app, NEW_PASSWORD, () => Promise.resolve())
  expect(second.key.equals(firstKey)).toBe(false)
  await saveCodesAndFinish(page)
  await expect(heading(page, `Welcome, ${MIA.name}`)).toBeVisible()
  await app.shot('8-signed-in')

  const agentView = await services().recovery.detail(requestId, agent)
  expect(agentView.status).toBe('completed')
  const trail = JSON.stringify((await services().audit.list(undefined, 300)).events)
  expect(trail).not.toContain(issued.code)
  expect(trail).not.toContain(NEW_PASSWORD)
})
