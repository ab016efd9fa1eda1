import type { Page } from '@playwright/test'
import type { Backend } from '../../src/main/core/backend'
import { startFakeSmtp, type FakeSmtp, type ReceivedMail } from '../fixtures/fake-smtp'
import { expect, test } from './harness'
import { enrollThroughWizard, heading, OWNER, saveCodesAndFinish, setUp, signIn, welcome } from './steps'
import { totp } from './totp'

const MIA = { email: 'mia@example.com', name: 'Mia Member', password: 'orchid-lantern-harbour-9' }
const ACCOUNT = 'Example Ltd'
/** A reset or invitation code as an email carries it: 26 base32 characters in groups of five. */
const CODE = /[2-9A-HJ-NP-Z]{5}(?:-[2-9A-HJ-NP-Z]{1,5}){4,}/

const nav = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true })
const logOut = (page: Page) => page.getByRole('button', { name: 'Log out' }).click()

let smtp: FakeSmtp | undefined
test.afterEach(async () => {
  await smtp?.close()
  smtp = undefined
})

/**
 * People's mailboxes: Tessera sends through the real SMTP client to a local SMTP server (plain SMTP, to
 * 127.0.0.1 only), set straight on the service as phones.ts does for SMS.
 */
async function connectEmail(backend: Backend): Promise<FakeSmtp> {
  const fake = await startFakeSmtp({ tls: 'none' })
  await backend.services().email.configure(
    {
      provider: 'smtp',
      host: '127.0.0.1',
      port: fake.port,
      tls: 'none',
      from: 'Tessera <it@example.com>',
      accountName: ACCOUNT,
    },
    null,
  )
  return fake
}

/** The newest email to `to` whose subject starts with `subject`, as it arrived in the mailbox. */
async function emailTo(fake: FakeSmtp, to: string, subject: string): Promise<ReceivedMail> {
  const find = () =>
    fake.messages.filter((m) => m.envelope.to.includes(to) && m.subject.startsWith(subject)).at(-1)
  await expect.poll(() => find()?.subject, { message: `an email to ${to}: ${subject}` }).toBeTruthy()
  return find()!
}

const codeIn = (mail: ReceivedMail): string => {
  const code = CODE.exec(mail.text ?? '')?.[0]
  expect(code, `a code in the email "${mail.subject}"`).toBeTruthy()
  return code!
}

test('an admin invites by email; the person reads the code from the email, activates and enrolls', async ({
  app,
}) => {
  const { page } = app
  await setUp(page, 'keychain', () => app.shot('1-setup'))
  smtp = await connectEmail(app.backend)

  // Settings → Email: the SMTP server as set up, and a test email through it.
  await nav(page, 'Settings').click()
  await page.getByRole('tab', { name: 'Email', exact: true }).click()
  const provider = page.getByRole('form', { name: 'Email provider' })
  await expect(provider.getByRole('radio', { name: /^SMTP server/ })).toBeChecked()
  await expect(provider.getByLabel('Host', { exact: true })).toHaveValue('127.0.0.1')
  await expect(provider.getByLabel('Port', { exact: true })).toHaveValue(String(smtp.port))
  await expect(provider.getByRole('radio', { name: /^None \(this machine only\)/ })).toBeChecked()
  await expect(provider.getByLabel('From address', { exact: true })).toHaveValue('Tessera <it@example.com>')
  await expect(provider.getByLabel('Account name', { exact: true })).toHaveValue(ACCOUNT)
  await expect(provider.getByLabel('Password', { exact: true })).toHaveValue('')
  const testForm = page.getByRole('form', { name: 'Send a test email' })
  await testForm.getByLabel('Send to').fill('it@example.com')
  await testForm.getByRole('button', { name: 'Send a test email' }).click()
  await expect(testForm.getByRole('status')).toContainText('Test email to it@example.com: Sent')
  await expect(testForm.getByRole('status')).toContainText('The server accepted it.')
  expect((await emailTo(smtp, 'it@example.com', 'Test message')).subject).toBe(`Test message — ${ACCOUNT}`)
  await app.shot('2-email-settings')

  // The owner adds Mia: the invitation goes to her by email, and the owner never sees the code.
  await nav(page, 'Users').click()
  await page.getByRole('button', { name: 'Add user' }).click()
  const add = page.getByRole('dialog', { name: 'Add user' })
  await add.getByLabel('Email').fill(MIA.email)
  await add.getByLabel('Name').fill(MIA.name)
  await add.getByLabel('Role').selectOption('member')
  await app.shot('3-add-user')
  await add.getByRole('button', { name: 'Add user' }).click()
  const sent = page.getByRole('dialog', { name: 'Invitation sent' })
  await expect(sent.getByRole('status')).toHaveText(`Invitation sent by email to ${MIA.email}.`)
  await expect(sent.getByLabel('Invitation code')).toHaveCount(0)
  await expect(sent.getByRole('button', { name: 'Copy' })).toHaveCount(0)
  await app.shot('4-invitation-sent')

  // The email arrived: the subject, the account's name, the code.
  const invitation = await emailTo(smtp, MIA.email, 'Your invitation to Tessera')
  expect(invitation.subject).toBe(`Your invitation to Tessera — ${ACCOUNT}`)
  expect(invitation.from).toContain('it@example.com')
  expect(invitation.text).toContain(`Hello ${MIA.name},`)
  expect(invitation.text).toContain(`${OWNER.name} invited you to sign in to ${ACCOUNT} with Tessera`)
  const code = codeIn(invitation)
  expect(invitation.text).toContain(`Your invitation code: ${code}`)
  await expect(page.getByText(code)).toHaveCount(0)
  await sent.getByRole('button', { name: 'Done' }).click()
  await expect(
    page.getByRole('table', { name: 'Users' }).getByRole('row', { name: new RegExp(MIA.name) }),
  ).toContainText('Invited')

  // Settings → Email outbox: the invitation and the test, newest first, the code hidden.
  await nav(page, 'Settings').click()
  await page.getByRole('tab', { name: 'Email outbox' }).click()
  const outbox = page.getByRole('table', { name: 'Email messages' })
  const invitationRow = outbox.getByRole('row').filter({ hasText: 'Your invitation to Tessera' })
  await expect(invitationRow).toContainText(MIA.email)
  await expect(invitationRow).toContainText('Sent')
  await expect(outbox.getByRole('row').filter({ hasText: 'Test message' })).toContainText('it@example.com')
  await invitationRow.getByText(`Your invitation to Tessera — ${ACCOUNT}`).click()
  await expect(invitationRow).toContainText('Your invitation code: ••••-••••')
  await expect(page.getByText(code)).toHaveCount(0)
  await app.shot('5-email-outbox')
  await logOut(page)

  // Mia activates with the code from the email and is led into enrollment.
  await expect(heading(page, 'Sign in to Tessera')).toBeVisible()
  await page.getByRole('button', { name: 'Activate an account' }).click()
  await page.getByLabel('Email').fill(MIA.email)
  await page.getByLabel('Invitation code').fill(code)
  await page.getByLabel('New password', { exact: true }).fill(MIA.password)
  await page.getByLabel('Confirm new password').fill(MIA.password)
  await app.shot('6-activate')
  await page.getByRole('button', { name: 'Activate account' }).click()
  await expect(heading(page, 'Set up two-factor authentication')).toBeVisible()
  await app.shot('7-enroll-required')
  await enrollThroughWizard(app, MIA.password, (s) => app.shot(`8-${s}`))
  await app.shot('9-backup-codes')
  await saveCodesAndFinish(page)
  await expect(heading(page, `Welcome, ${MIA.name}`)).toBeVisible()
  await app.shot('10-signed-in')

  // She is told by email that 2FA is on; the audit trail holds no code.
  await emailTo(smtp, MIA.email, 'Two-factor authentication is on')
  const trail = JSON.stringify((await app.backend.services().audit.list(undefined, 200)).events)
  expect(trail).not.toContain(code)
})

test('forgot password: the code arrives by email, a new password, and the second factor is still asked', async ({
  app,
}) => {
  const { page } = app
  const NEW_PASSWORD = 'copper-meadow-signal-77'
  await setUp(page, 'keychain')
  smtp = await connectEmail(app.backend)

  // The owner turns 2FA on.
  await nav(page, 'My profile').click()
  await page
    .getByRole('region', { name: 'Two-factor authentication' })
    .getByRole('button', { name: 'Enable' })
    .click()
  const { key } = await enrollThroughWizard(app, OWNER.password, (s) => app.shot(`1-${s}`))
  await saveCodesAndFinish(page)
  await expect(page.getByRole('region', { name: 'Two-factor authentication' })).toContainText('On since')
  await app.shot('2-profile-2fa-on')
  await logOut(page)
  app.clock.advance(30_000)

  // Forgot password? → the email → the same message whatever the address.
  await expect(heading(page, 'Sign in to Tessera')).toBeVisible()
  await app.shot('3-sign-in')
  await page.getByRole('button', { name: 'Forgot password?' }).click()
  await expect(heading(page, 'Forgot your password?')).toBeVisible()
  await page.getByLabel('Email').fill(OWNER.email)
  await app.shot('4-forgot-password')
  await page.getByRole('button', { name: 'Send a reset code' }).click()
  await expect(page.getByRole('status')).toContainText(
    `If an account uses ${OWNER.email}, a reset code is on its way to it.`,
  )
  await app.shot('5-code-on-its-way')

  // The email arrived, with the code.
  const mail = await emailTo(smtp, OWNER.email, 'Reset your password')
  expect(mail.subject).toBe(`Reset your password — ${ACCOUNT}`)
  expect(mail.text).toContain('"Forgot password?" → "I have a reset code"')
  const code = codeIn(mail)

  // I have a reset code → the code and the new password twice.
  await page.getByRole('button', { name: 'I have a reset code' }).click()
  await expect(heading(page, 'Reset your password')).toBeVisible()
  await expect(page.getByLabel('Email')).toHaveValue(OWNER.email)
  await page.getByLabel('Reset code').fill(code)
  await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD)
  await page.getByLabel('New password again').fill(NEW_PASSWORD)
  await app.shot('6-reset-form')
  await page.getByRole('button', { name: 'Change password' }).click()
  await expect(heading(page, 'Password changed')).toBeVisible()
  await expect(page.getByRole('status')).toContainText('Your password was changed. Sign in with it.')
  await expect(page.getByRole('status')).toContainText('You will still need your authenticator app code')
  await app.shot('7-password-changed')
  await emailTo(smtp, OWNER.email, 'Your password was reset')

  // The old password is refused; the new one leads to the second step, the app code.
  await page.getByRole('button', { name: 'Back to sign in' }).click()
  await signIn(page, OWNER.password)
  await expect(page.getByRole('alert')).toHaveText('The email or password is not correct.')
  await app.shot('8-old-password-refused')
  await signIn(page, NEW_PASSWORD)
  await expect(heading(page, 'Two-factor authentication')).toBeVisible()
  await expect(page.getByText('Enter the 6-digit code from your authenticator app')).toBeVisible()
  await app.shot('9-second-step')
  await page.getByLabel('6-digit code').fill(totp(key, app.clock.now()))
  await page.getByRole('button', { name: 'Verify' }).click()
  await expect(welcome(page)).toBeVisible()
  await app.shot('10-signed-in')

  // Later, in My profile, a change of password asks for the current one and the app code.
  const LATEST = 'amber-river-compass-58'
  app.clock.advance(30_000)
  await nav(page, 'My profile').click()
  const passwordPanel = page.getByRole('region', { name: 'Password' })
  await passwordPanel.getByRole('button', { name: 'Change password' }).click()
  const change = page.getByRole('dialog', { name: 'Change password' })
  await change.getByLabel('Current password').fill(NEW_PASSWORD)
  await change.getByLabel('6-digit code from your authenticator app').fill(totp(key, app.clock.now()))
  await change.getByLabel('New password', { exact: true }).fill(LATEST)
  await change.getByLabel('New password again').fill(LATEST)
  await app.shot('11-change-password')
  await change.getByRole('button', { name: 'Change password' }).click()
  await expect(passwordPanel.getByRole('status')).toHaveText(
    'Your password was changed. Your other sessions were signed out.',
  )
  await app.shot('12-password-changed-in-profile')
  await emailTo(smtp, OWNER.email, 'Your password was changed')

  // The code worked once, and neither it nor the new password is in the audit trail.
  const events = (await app.backend.services().audit.list(undefined, 200)).events
  const types = events.map((e) => e.type)
  for (const t of ['password.reset_requested', 'password.reset', 'email.sent']) expect(types).toContain(t)
  const trail = JSON.stringify(events)
  expect(trail).not.toContain(code)
  expect(trail).not.toContain(NEW_PASSWORD)
  expect(trail).not.toContain(LATEST)
})
