import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { addUser } from '../../../../../test/fixtures/backend'
import { closeAll, OWNER, renderWithApi, signedInOwner } from '../../test/harness'

afterEach(closeAll)

const banner = () => screen.queryByRole('complementary', { name: 'SMS setup' })

describe('the "SMS is not set up" banner', () => {
  it('tells an owner on every page while the local outbox is the provider, and leads to Settings → SMS', async () => {
    const { api } = await signedInOwner()
    const user = userEvent.setup()
    renderWithApi(api)
    await screen.findByRole('heading', { name: `Welcome, ${OWNER.name}` })
    await waitFor(() =>
      expect(banner()).toHaveTextContent('SMS is not set up: messages stay in the local outbox.'),
    )
    await user.click(
      within(screen.getByRole('navigation', { name: 'Main' })).getByRole('button', { name: 'Users' }),
    )
    await screen.findByRole('table', { name: 'Users' })
    expect(banner()).toBeVisible()

    await user.click(within(banner()!).getByRole('button', { name: 'Settings → SMS' }))
    expect(await screen.findByRole('tab', { name: 'SMS', selected: true })).toBeVisible()
    expect(await screen.findByRole('radio', { name: /^Local outbox/ })).toBeChecked()

    // Twilio set up and saved: the banner goes at once.
    await user.click(screen.getByRole('radio', { name: /^Twilio/ }))
    await user.type(screen.getByLabelText('Account SID'), `AC${'0'.repeat(32)}`)
    await user.type(screen.getByLabelText('Auth token'), 'a test auth token')
    await user.type(screen.getByLabelText('From number'), '+34 612 345 678')
    await user.click(screen.getByRole('button', { name: 'Save SMS settings' }))
    expect(await screen.findByText('SMS settings saved.')).toBeVisible()
    await waitFor(() => expect(banner()).not.toBeInTheDocument())
  })

  it('is not shown to a member, who cannot change it', async () => {
    const { api, backend } = await signedInOwner()
    await addUser(backend, {
      email: 'max@example.com',
      name: 'Max Member',
      role: 'member',
      password: 'member-password-42',
    })
    await api.auth.logout()
    expect((await api.auth.login({ email: 'max@example.com', password: 'member-password-42' })).ok).toBe(true)
    renderWithApi(api)
    expect(await screen.findByRole('heading', { name: 'Welcome, Max Member' })).toBeVisible()
    expect(banner()).not.toBeInTheDocument()
  })
})
