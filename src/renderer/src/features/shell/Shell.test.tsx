import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { setRequire2fa } from '../../../../main/db/queries/users'
import { addUser } from '../../../../../test/fixtures/backend'
import { closeAll, OWNER, renderWithApi, signedInOwner } from '../../test/harness'

afterEach(closeAll)

describe('Signed-in shell', () => {
  it('shows the owner who they are; the database status sits under Settings, not on the dashboard', async () => {
    const { api, backend } = await signedInOwner()
    renderWithApi(api)
    expect(await screen.findByRole('heading', { name: `Welcome, ${OWNER.name}` })).toBeVisible()
    const header = screen.getByRole('banner')
    expect(within(header).getByText(OWNER.name)).toBeVisible()
    expect(within(header).getByText('Owner')).toBeVisible()
    expect(await screen.findByRole('region', { name: 'Recent security events' })).toBeVisible()
    expect(screen.queryByRole('region', { name: 'Database' })).not.toBeInTheDocument()
    const nav = screen.getByRole('navigation', { name: 'Main' })
    await userEvent.setup().click(within(nav).getByRole('button', { name: 'Settings' }))
    await userEvent.setup().click(await screen.findByRole('tab', { name: 'Database' }))
    const db = await screen.findByRole('region', { name: 'Database' })
    const status = await backend.services().status()
    expect(await within(db).findByText(status.auditHeadHash)).toBeVisible()
    expect(within(db).getByText('Passphrase')).toBeVisible()
    expect(within(db).getByText(status.cipher)).toBeVisible()
    expect(
      within(nav)
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual(['Dashboard', 'Users', 'Recovery', 'My profile', 'Audit log', 'Settings'])
  })

  it('shows a member only the overview', async () => {
    const { api, backend } = await signedInOwner()
    await addUser(backend, {
      email: 'max@example.com',
      name: 'Max Member',
      role: 'member',
      password: 'member-password-42',
    })
    await api.auth.logout()
    const login = await api.auth.login({ email: 'max@example.com', password: 'member-password-42' })
    expect(login.ok).toBe(true)
    renderWithApi(api)
    expect(await screen.findByRole('heading', { name: 'Welcome, Max Member' })).toBeVisible()
    expect(screen.getByText('Member')).toBeVisible()
    const nav = screen.getByRole('navigation', { name: 'Main' })
    expect(
      within(nav)
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual(['Overview', 'My profile'])
    expect(screen.queryByRole('region', { name: 'Database' })).not.toBeInTheDocument()
  })

  it('reminds a user inside the 2FA grace period, with a way to My profile', async () => {
    const { api, backend } = await signedInOwner()
    const services = backend.services()
    await services.policy.update({ gracePeriodDays: 7 }, null)
    const id = await addUser(backend, {
      email: 'gus@example.com',
      name: 'Gus Grace',
      role: 'member',
      password: 'member-password-42',
    })
    await setRequire2fa(services.db, id, true, Date.now())
    await api.auth.logout()
    expect((await api.auth.login({ email: 'gus@example.com', password: 'member-password-42' })).ok).toBe(true)
    const user = userEvent.setup()
    renderWithApi(api)
    const banner = await screen.findByText(
      /^Your administrator requires two-factor authentication\. Set it up before .+\.$/,
    )
    expect(banner).toHaveTextContent(String(new Date(Date.now() + 7 * 86_400_000).getFullYear()))
    await user.click(screen.getByRole('button', { name: 'Go to My profile' }))
    expect(await screen.findByRole('heading', { name: 'My profile' })).toBeVisible()
  })

  it('logs out to the sign-in screen', async () => {
    const { api } = await signedInOwner()
    const user = userEvent.setup()
    renderWithApi(api)
    await user.click(await screen.findByRole('button', { name: 'Log out' }))
    expect(await screen.findByRole('heading', { name: 'Sign in to Tessera' })).toBeVisible()
  })
})
