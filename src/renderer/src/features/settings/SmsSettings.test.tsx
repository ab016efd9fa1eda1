import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { closeAll, OWNER_USER, renderWithApi, signedInOwner } from '../../test/harness'
import { SettingsPage } from './SettingsPage'
import { SmsOutbox } from './SmsOutbox'

afterEach(closeAll)

const SID = 'AC' + '0123456789abcdef'.repeat(2)
const TOKEN = 'twilio-auth-token-never-shown'

describe('Settings → SMS', () => {
  it('saves Twilio settings and never echoes the auth token back into the form', async () => {
    const { api, backend } = await signedInOwner()
    const user = userEvent.setup()
    renderWithApi(api, <SettingsPage user={OWNER_USER} initialSection="sms" />)

    expect(await screen.findByRole('radio', { name: /^Local outbox/ })).toBeChecked()
    expect(screen.getByText(/Messages are kept here and not sent/)).toBeVisible()
    await user.click(screen.getByRole('radio', { name: /^Twilio/ }))
    await user.type(screen.getByLabelText('Account SID'), SID)
    const token = screen.getByLabelText('Auth token')
    expect(token).toHaveAttribute('type', 'password')
    await user.type(token, TOKEN)
    await user.type(screen.getByLabelText('From number'), '+34 612 345 678')
    expect(screen.getByLabelText('API base URL')).toHaveValue('https://api.twilio.com')
    await user.click(screen.getByRole('button', { name: 'Save SMS settings' }))

    expect(await screen.findByText('SMS settings saved.')).toBeVisible()
    expect(screen.getByLabelText('Auth token')).toHaveValue('')
    expect(
      screen.getByText(/A token is stored in the database\. Leave this empty to keep it\./),
    ).toBeVisible()
    expect(screen.getByLabelText('Account SID')).toHaveValue(SID)
    expect(screen.getByLabelText('From number')).toHaveValue('+34612345678')
    for (const input of document.querySelectorAll('input')) expect(input.value).not.toContain(TOKEN)
    expect(document.body.textContent).not.toContain(TOKEN)

    const saved = await backend.services().sms.getConfig()
    expect(saved).toMatchObject({
      provider: 'twilio',
      accountSid: SID,
      from: '+34612345678',
      authTokenSet: true,
    })

    // Moving the API address with the token box left empty is refused at the token: the stored token
    // never follows the settings to another server unless it is typed again.
    await user.clear(screen.getByLabelText('API base URL'))
    await user.type(screen.getByLabelText('API base URL'), 'http://127.0.0.1:9999')
    await user.click(screen.getByRole('button', { name: 'Save SMS settings' }))
    expect(await screen.findByText(/Enter the auth token again to change the API address/)).toBeVisible()
    expect(screen.getByLabelText('Auth token')).toHaveAttribute('aria-invalid', 'true')
    expect((await backend.services().sms.getConfig()).apiBaseUrl).toBe('https://api.twilio.com')
    await user.type(screen.getByLabelText('Auth token'), TOKEN)
    await user.click(screen.getByRole('button', { name: 'Save SMS settings' }))
    expect(await screen.findByText('SMS settings saved.')).toBeVisible()
    expect(await backend.services().sms.getConfig()).toMatchObject({
      apiBaseUrl: 'http://127.0.0.1:9999',
      authTokenSet: true,
    })
    expect(screen.getByLabelText('Auth token')).toHaveValue('')
  })

  it('shows validation errors from the shared schema and from the server at their fields', async () => {
    const { api, backend } = await signedInOwner()
    const user = userEvent.setup()
    renderWithApi(api, <SettingsPage user={OWNER_USER} initialSection="sms" />)

    await user.click(await screen.findByRole('radio', { name: /^Twilio/ }))
    await user.type(screen.getByLabelText('Account SID'), 'AC123')
    await user.clear(screen.getByLabelText('API base URL'))
    await user.type(screen.getByLabelText('API base URL'), 'ftp://example.com')
    await user.click(screen.getByRole('button', { name: 'Save SMS settings' }))
    expect(await screen.findByText('An Account SID is AC followed by 32 hexadecimal digits')).toBeVisible()
    expect(screen.getByText('Enter the number messages are sent from.')).toBeVisible()
    expect(screen.getByText('Enter an https:// URL, without a query')).toBeVisible()
    expect(screen.getByLabelText('Account SID')).toHaveAttribute('aria-invalid', 'true')

    // Valid fields but no token yet: the server refuses, at the token's field.
    await user.clear(screen.getByLabelText('Account SID'))
    await user.type(screen.getByLabelText('Account SID'), SID)
    await user.clear(screen.getByLabelText('API base URL'))
    await user.type(screen.getByLabelText('API base URL'), 'https://api.twilio.com')
    await user.type(screen.getByLabelText('From number'), '+34 612 345 678')
    await user.click(screen.getByRole('button', { name: 'Save SMS settings' }))
    expect(await screen.findByText('Twilio needs the auth token.')).toBeVisible()
    expect(screen.getByLabelText('Auth token')).toHaveAttribute('aria-invalid', 'true')
    expect((await backend.services().sms.getConfig()).provider).toBe('outbox')

    // A Messaging Service SID instead of a number is checked the same way.
    await user.click(screen.getByRole('radio', { name: 'A Messaging Service' }))
    await user.type(screen.getByLabelText('Messaging Service SID'), 'MGnope')
    await user.click(screen.getByRole('button', { name: 'Save SMS settings' }))
    expect(
      await screen.findByText('A Messaging Service SID is MG followed by 32 hexadecimal digits'),
    ).toBeVisible()
  })

  it('sends a test message through the local outbox, and the outbox lists it masked', async () => {
    const { api } = await signedInOwner()
    const user = userEvent.setup()
    renderWithApi(api, <SettingsPage user={OWNER_USER} initialSection="sms" />)

    const number = await screen.findByLabelText('Phone number')
    await user.type(number, '12')
    await user.click(screen.getByRole('button', { name: 'Send a test message' }))
    expect(await screen.findByText(/The phone number is not valid/)).toBeVisible()

    await user.clear(number)
    await user.type(number, '+34 600 000 123')
    await user.click(screen.getByRole('button', { name: 'Send a test message' }))
    const result = await screen.findByText(/Test message to/)
    expect(result).toHaveTextContent('+34 ••• ••• 123')
    expect(result).toHaveTextContent('Not sent')
    expect(result).toHaveTextContent('Nothing leaves this machine until Twilio is set up.')

    await user.click(screen.getByRole('tab', { name: 'SMS outbox' }))
    const table = await screen.findByRole('table', { name: 'SMS messages' })
    const rows = within(table).getAllByRole('row').slice(1)
    expect(rows).toHaveLength(1)
    const row = rows[0]!
    expect(row).toHaveTextContent('+34 ••• ••• 123')
    expect(row).toHaveTextContent('Test')
    expect(row).toHaveTextContent('Not sent')
    expect(row).toHaveTextContent(/Kept \w+ \d/)
    expect(row).not.toHaveTextContent('600000123')
  })

  it('pages the outbox newest first with Load older, and Refresh shows new messages', async () => {
    const { api, backend } = await signedInOwner()
    const user = userEvent.setup()
    const sms = backend.services().sms
    for (const n of ['+34 600 000 101', '+34 600 000 102', '+34 600 000 103']) await sms.sendTest(n, null)
    renderWithApi(api, <SmsOutbox pageSize={2} />)

    const table = await screen.findByRole('table', { name: 'SMS messages' })
    const numbers = () =>
      within(table)
        .getAllByRole('row')
        .slice(1)
        .map((r) => /\+34 ••• ••• \d{3}/.exec(r.textContent ?? '')?.[0])
    expect(numbers()).toEqual(['+34 ••• ••• 103', '+34 ••• ••• 102'])
    await user.click(screen.getByRole('button', { name: 'Load older' }))
    await screen.findByText('+34 ••• ••• 101')
    expect(numbers()).toEqual(['+34 ••• ••• 103', '+34 ••• ••• 102', '+34 ••• ••• 101'])

    await sms.sendTest('+34 600 000 104', null)
    await user.click(screen.getByRole('button', { name: 'Refresh' }))
    expect(await screen.findByText('+34 ••• ••• 104')).toBeVisible()
  })
})
