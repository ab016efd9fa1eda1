import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { buildApiClient } from '../../../../shared/client'
import { addUser, gateFor, gateTransport } from '../../../../../test/fixtures/backend'
import { startFakeSmtp, type FakeSmtp } from '../../../../../test/fixtures/fake-smtp'
import { closeAll, OWNER_USER, renderWithApi, signedInOwner } from '../../test/harness'
import { ACCOUNT_NAME, connectMailbox } from '../../test/email'
import { EmailOutbox } from './EmailOutbox'
import { SettingsPage } from './SettingsPage'

let smtp: FakeSmtp | undefined
afterEach(async () => {
  await closeAll()
  await smtp?.close()
  smtp = undefined
})

const SMTP_PASSWORD = 'smtp-password-never-shown'

describe('Settings → Email', () => {
  it('saves an SMTP server with its password, never echoes the password, and sends a test email through it', async () => {
    const { api, backend } = await signedInOwner()
    smtp = await startFakeSmtp({ tls: 'none', auth: { user: 'mailer', pass: SMTP_PASSWORD } })
    const user = userEvent.setup()
    renderWithApi(api, <SettingsPage user={OWNER_USER} initialSection="email" />)

    expect(await screen.findByRole('radio', { name: /^Local outbox/ })).toBeChecked()
    await user.click(screen.getByRole('radio', { name: /^SMTP server/ }))
    expect(screen.getByRole('radio', { name: /^STARTTLS required/ })).toBeChecked()
    await user.type(screen.getByLabelText('Host'), 'mail.example.com')
    await user.click(screen.getByRole('radio', { name: /^None \(this machine only\)/ }))
    await user.type(screen.getByLabelText('From address'), 'Tessera <it@example.com>')
    await user.click(screen.getByRole('button', { name: 'Save email settings' }))
    // Plain SMTP to another machine is refused before anything is sent to main.
    expect(await screen.findByText(/Plain SMTP without TLS is allowed only to this machine/)).toBeVisible()
    expect((await backend.services().email.getConfig()).provider).toBe('outbox')

    await user.clear(screen.getByLabelText('Host'))
    await user.type(screen.getByLabelText('Host'), '127.0.0.1')
    await user.type(screen.getByLabelText('Port'), String(smtp.port))
    await user.type(screen.getByLabelText('User name'), 'mailer')
    await user.type(screen.getByLabelText('Account name'), ACCOUNT_NAME)
    await user.click(screen.getByRole('button', { name: 'Save email settings' }))
    // A user without a password: main refuses, at the password's field.
    expect(await screen.findByText('Give the SMTP password.')).toBeVisible()
    expect(screen.getByLabelText('Password')).toHaveAttribute('aria-invalid', 'true')

    const password = screen.getByLabelText('Password')
    expect(password).toHaveAttribute('type', 'password')
    await user.type(password, SMTP_PASSWORD)
    await user.click(screen.getByRole('button', { name: 'Save email settings' }))
    expect(await screen.findByText('Email settings saved.')).toBeVisible()
    expect(screen.getByLabelText('Password')).toHaveValue('')
    expect(
      screen.getByText('A password is stored in the database. Leave this empty to keep it.'),
    ).toBeVisible()
    for (const input of document.querySelectorAll('input')) expect(input.value).not.toContain(SMTP_PASSWORD)
    expect(document.body.textContent).not.toContain(SMTP_PASSWORD)
    expect(await backend.services().email.getConfig()).toMatchObject({
      provider: 'smtp',
      host: '127.0.0.1',
      port: smtp.port,
      tls: 'none',
      user: 'mailer',
      from: 'Tessera <it@example.com>',
      accountName: ACCOUNT_NAME,
      passwordSet: true,
    })

    // The test email goes through the server, signed in with the stored password.
    const to = screen.getByLabelText('Send to')
    await user.type(to, 'not-an-email')
    await user.click(screen.getByRole('button', { name: 'Send a test email' }))
    expect(await screen.findByText('Enter a valid email address')).toBeVisible()
    await user.clear(to)
    await user.type(to, 'ops@example.com')
    await user.click(screen.getByRole('button', { name: 'Send a test email' }))
    const result = await screen.findByText(/Test email to/)
    expect(result).toHaveTextContent('ops@example.com')
    expect(result).toHaveTextContent('Sent')
    expect(result).toHaveTextContent('The server accepted it.')
    // (The owner was also told by email that the email settings changed.)
    const test = smtp.messages.filter((m) => m.envelope.to.includes('ops@example.com'))
    expect(test).toHaveLength(1)
    expect(test[0]).toMatchObject({ user: 'mailer', subject: `Test message — ${ACCOUNT_NAME}` })

    // Another user with the password box left empty: the stored password never follows it.
    await user.clear(screen.getByLabelText('User name'))
    await user.type(screen.getByLabelText('User name'), 'someone-else')
    await user.click(screen.getByRole('button', { name: 'Save email settings' }))
    expect(
      await screen.findByText(/Enter the SMTP password again to change the server or the user/),
    ).toBeVisible()
    expect(screen.getByLabelText('Password')).toHaveAttribute('aria-invalid', 'true')
    expect((await backend.services().email.getConfig()).user).toBe('mailer')
  })

  it('shows a refused test email as failed, and one the server put off as waiting for retry, with the reply', async () => {
    const real = await signedInOwner()
    const mailbox = await connectMailbox(real)
    const user = userEvent.setup()
    renderWithApi(real.api, <SettingsPage user={OWNER_USER} initialSection="email" />)

    mailbox.fake.script({ at: 'rcpt', code: 550, message: '5.1.1 No such user here' })
    await user.type(await screen.findByLabelText('Send to'), 'nobody@example.com')
    await user.click(screen.getByRole('button', { name: 'Send a test email' }))
    const failed = await screen.findByRole('alert')
    expect(failed).toHaveTextContent('Test email to nobody@example.com: Failed')
    expect(failed).toHaveTextContent('The server refused it:')
    expect(failed).toHaveTextContent('No such user here')

    mailbox.fake.script({ at: 'mail', code: 451, message: '4.3.0 Try again later' })
    await user.clear(screen.getByLabelText('Send to'))
    await user.type(screen.getByLabelText('Send to'), 'later@example.com')
    await user.click(screen.getByRole('button', { name: 'Send a test email' }))
    const waiting = await screen.findByText(/Test email to/)
    expect(waiting).toHaveTextContent('later@example.com')
    expect(waiting).toHaveTextContent('Waiting for retry')
    expect(waiting).toHaveTextContent('Try again later')
    expect(waiting).toHaveTextContent(/Tessera tries again at/)
    expect(screen.queryByRole('alert')).toBeNull()

    // The outbox lists both, newest first, with the attempts and the server's reply.
    await user.click(screen.getByRole('tab', { name: 'Email outbox' }))
    const table = await screen.findByRole('table', { name: 'Email messages' })
    const rows = within(table).getAllByRole('row').slice(1)
    expect(rows).toHaveLength(2)
    expect(rows[0]).toHaveTextContent('later@example.com')
    expect(rows[0]).toHaveTextContent('Waiting for retry')
    expect(rows[0]).toHaveTextContent('Try again later')
    expect(rows[1]).toHaveTextContent('nobody@example.com')
    expect(rows[1]).toHaveTextContent('Failed')
    expect(rows[1]).toHaveTextContent(`Test message — ${ACCOUNT_NAME}`)
  })

  it('lists an invitation in the outbox without its code, which only the email holds', async () => {
    const real = await signedInOwner()
    const mailbox = await connectMailbox(real)
    const invitation = await real.backend
      .services()
      .users.create(
        { email: 'mia@example.com', name: 'Mia Member', role: 'member' },
        OWNER_USER,
        real.backend.client,
      )
    expect(invitation).toMatchObject({ code: null, emailedTo: 'mia@example.com' })
    const code = await mailbox.code('mia@example.com', 'Your invitation to Tessera')
    const user = userEvent.setup()
    renderWithApi(real.api, <EmailOutbox />)

    const table = await screen.findByRole('table', { name: 'Email messages' })
    const row = within(table).getByRole('row', { name: /mia@example\.com/ })
    expect(row).toHaveTextContent(`Your invitation to Tessera — ${ACCOUNT_NAME}`)
    expect(row).toHaveTextContent('Invitation')
    expect(row).toHaveTextContent('Sent')
    await user.click(within(row).getByText(`Your invitation to Tessera — ${ACCOUNT_NAME}`))
    expect(row).toHaveTextContent('Your invitation code: ••••-••••')
    expect(document.body.textContent).not.toContain(code)
  })

  it('pages the outbox newest first with Load older', async () => {
    const real = await signedInOwner()
    const email = real.backend.services().email
    for (const n of [1, 2, 3]) await email.sendTest(`person${n}@example.com`, null)
    const user = userEvent.setup()
    renderWithApi(real.api, <EmailOutbox pageSize={2} />)
    const table = await screen.findByRole('table', { name: 'Email messages' })
    const tos = () =>
      within(table)
        .getAllByRole('row')
        .slice(1)
        .map((r) => /person\d@example\.com/.exec(r.textContent ?? '')?.[0])
    expect(tos()).toEqual(['person3@example.com', 'person2@example.com'])
    expect(within(table).getAllByText('Local outbox')).toHaveLength(2)
    await user.click(screen.getByRole('button', { name: 'Load older' }))
    await waitFor(() =>
      expect(tos()).toEqual(['person3@example.com', 'person2@example.com', 'person1@example.com']),
    )
  })

  it('tells people of security changes by the channel the owner chooses', async () => {
    const { api, backend } = await signedInOwner()
    const user = userEvent.setup()
    renderWithApi(api, <SettingsPage user={OWNER_USER} />)
    const group = await screen.findByRole('group', { name: 'Tell people about security changes by' })
    expect(within(group).getByRole('radio', { name: /^Both/ })).toBeChecked()
    await user.click(within(group).getByRole('radio', { name: /^Email/ }))
    await user.click(screen.getByRole('button', { name: 'Save settings' }))
    expect(await screen.findByText('Settings saved.')).toBeVisible()
    expect((await backend.services().policy.get()).noticesBy).toBe('email')
    await user.click(within(group).getByRole('radio', { name: /^SMS \(to a verified phone\)/ }))
    await user.click(screen.getByRole('button', { name: 'Save settings' }))
    await waitFor(async () => expect((await backend.services().policy.get()).noticesBy).toBe('sms'))
  })
})

describe('Settings → Email as an admin', () => {
  it('shows where email goes, read-only, and the notices choice read-only too', async () => {
    const real = await signedInOwner()
    await connectMailbox(real)
    await addUser(real.backend, {
      email: 'adam@example.com',
      name: 'Adam Admin',
      role: 'admin',
      password: 'an admin passphrase 4242',
    })
    const adam = buildApiClient(gateTransport(gateFor(real.backend), 'adam-window'))
    expect(
      (await adam.auth.login({ email: 'adam@example.com', password: 'an admin passphrase 4242' })).ok,
    ).toBe(true)
    const admin = { id: 2, email: 'adam@example.com', name: 'Adam Admin', role: 'admin' } as const
    const user = userEvent.setup()
    renderWithApi(adam, <SettingsPage user={admin} />)

    const group = await screen.findByRole('group', { name: 'Tell people about security changes by' })
    for (const radio of within(group).getAllByRole('radio')) expect(radio).toBeDisabled()
    expect(within(group).getByRole('radio', { name: /^Both/ })).toBeChecked()
    expect(group).toHaveTextContent(/Only an owner can change this/)
    // Saving the fields an admin may change sends the owner's choice back unchanged.
    const grace = screen.getByLabelText('Grace period (days)')
    await user.clear(grace)
    await user.type(grace, '4')
    await user.click(screen.getByRole('button', { name: 'Save settings' }))
    expect(await screen.findByText('Settings saved.')).toBeVisible()
    expect(await real.backend.services().policy.get()).toMatchObject({
      gracePeriodDays: 4,
      noticesBy: 'both',
    })

    await user.click(screen.getByRole('tab', { name: 'Email' }))
    expect(await screen.findByText(/Only an owner can change where email goes/)).toBeVisible()
    const facts = screen.getByRole('region', { name: 'Email provider' })
    expect(facts).toHaveTextContent('SMTP server')
    expect(facts).toHaveTextContent('127.0.0.1:')
    expect(facts).toHaveTextContent('None (this machine only)')
    expect(facts).toHaveTextContent(ACCOUNT_NAME)
    expect(screen.queryByRole('button', { name: 'Save email settings' })).toBeNull()
    expect(screen.queryByRole('button', { name: 'Send a test email' })).toBeNull()

    await user.click(screen.getByRole('tab', { name: 'Email outbox' }))
    expect(await screen.findByRole('region', { name: 'Email outbox' })).toBeVisible()
  })
})
