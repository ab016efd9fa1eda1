import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { sqlAll } from '../../../../../test/fixtures/sql'
import { buildApiClient } from '../../../../shared/client'
import { addUser, gateFor, gateTransport } from '../../../../../test/fixtures/backend'
import { closeAll, renderWithApi, signedInOwner } from '../../test/harness'
import { seedUsers } from '../../test/users'

afterEach(closeAll)

const ADMIN_PASSWORD = 'an admin passphrase 4242'

const table = () => screen.getByRole('table', { name: 'Users' })
const footer = () => within(table().parentElement!).getByRole('status')

async function openUsers(seed: number) {
  const real = await signedInOwner()
  await seedUsers(real.backend, seed)
  const user = userEvent.setup()
  renderWithApi(real.api)
  await user.click(await screen.findByRole('button', { name: 'Users' }))
  await screen.findByRole('table', { name: 'Users' })
  return { ...real, user }
}

const requiredEmails = async (real: Awaited<ReturnType<typeof openUsers>>) =>
  (
    await sqlAll<{ email: string }>(
      real.backend.services().db,
      'SELECT email FROM users WHERE require_2fa = 1 ORDER BY email',
    )
  ).map((r) => r.email)

describe('bulk actions on the Users page', () => {
  it('ticks rows, says how many and who is skipped, and reports what was done', async () => {
    const real = await openUsers(12)
    const { user } = real
    expect(screen.queryByRole('region', { name: 'Selected users' })).not.toBeInTheDocument()
    for (const name of ['User 001', 'User 002', 'User 003'])
      await user.click(screen.getByRole('checkbox', { name: `Select ${name}` }))
    const bar = screen.getByRole('region', { name: 'Selected users' })
    expect(within(bar).getByRole('status')).toHaveTextContent('3 selected')
    // Everyone the list shows: 12 seeded and the owner.
    expect(
      await within(bar).findByRole('button', { name: 'Select all 13 matching this filter' }),
    ).toBeVisible()

    await user.click(within(bar).getByRole('button', { name: 'Require 2FA' }))
    const dialog = await screen.findByRole('dialog', { name: 'Require 2FA for 3 users?' })
    // User 003 is required already (every 3rd seeded user is).
    expect(dialog).toHaveTextContent('2 users will be changed; 1 user will be skipped:')
    expect(within(dialog).getByRole('list', { name: 'Will be skipped' })).toHaveTextContent(
      '2FA is already required1',
    )
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus()
    await user.click(within(dialog).getByRole('button', { name: 'Require 2FA' }))
    const done = await screen.findByRole('dialog', { name: 'Done' })
    expect(within(done).getByRole('status')).toHaveTextContent('2 users changed, 1 skipped.')
    expect(await requiredEmails(real)).toEqual([
      'user001@example.com',
      'user002@example.com',
      'user003@example.com',
      'user006@example.com',
      'user009@example.com',
      'user012@example.com',
    ])
    await user.click(within(done).getByRole('button', { name: 'Close' }))
    expect(screen.queryByRole('region', { name: 'Selected users' })).not.toBeInTheDocument()
  })

  it('widens the selection to everyone the filter matches and acts on all of them in main', async () => {
    const real = await openUsers(30)
    const { user } = real
    await user.selectOptions(screen.getByLabelText('Role'), 'support')
    await waitFor(() => expect(footer()).toHaveTextContent(/^3 users$/))
    await user.click(screen.getByRole('checkbox', { name: 'Select all loaded users' }))
    const bar = screen.getByRole('region', { name: 'Selected users' })
    expect(within(bar).getByRole('status')).toHaveTextContent('3 selected')
    await user.click(screen.getByRole('checkbox', { name: 'Select User 010' }))
    expect(within(bar).getByRole('status')).toHaveTextContent('2 selected')
    await user.click(await within(bar).findByRole('button', { name: 'Select all 3 matching this filter' }))
    expect(within(bar).getByRole('status')).toHaveTextContent('All 3 users matching this filter selected')
    expect(screen.getByRole('checkbox', { name: 'Select User 010' })).toBeChecked()

    await user.click(within(bar).getByRole('button', { name: 'Stop requiring 2FA' }))
    const dialog = await screen.findByRole('dialog', { name: 'Stop requiring 2FA for 3 users?' })
    // User 030 is the only required support agent.
    await waitFor(() => expect(dialog).toHaveTextContent('1 user will be changed; 2 users will be skipped:'))
    await user.click(within(dialog).getByRole('button', { name: 'Stop requiring 2FA' }))
    const done = await screen.findByRole('dialog', { name: 'Done' })
    expect(within(done).getByRole('status')).toHaveTextContent('1 user changed, 2 skipped.')
    expect(within(done).getByRole('list', { name: 'Skipped' })).toHaveTextContent('2FA is not required2')
    expect(await requiredEmails(real)).not.toContain('user030@example.com')
  })

  it('keeps the filter, search, sort and scroll after a user page and "← Users"', async () => {
    const { user } = await openUsers(150)
    const chips = () => screen.getByRole('group', { name: 'Filter' })
    await user.selectOptions(screen.getByLabelText('Sort by'), 'email')
    await user.click(within(chips()).getByRole('button', { name: 'Not required' }))
    await user.type(screen.getByLabelText('Search'), 'user')
    // Neither enrolled nor required: 75 of the 150 seeded (the owner's email does not start with "user").
    await waitFor(() => expect(footer()).toHaveTextContent(/^75 users$/))
    fireEvent.scroll(screen.getByTestId('vtable-viewport'), { target: { scrollTop: 25 * 40 } })
    const row = await within(table()).findByRole('row', { name: /user061@example.com/ })
    await user.click(within(row).getByRole('button', { name: 'User 061' }))
    await user.click(await screen.findByRole('button', { name: '← Users' }))
    await screen.findByRole('table', { name: 'Users' })
    expect(screen.getByLabelText('Search')).toHaveValue('user')
    expect(screen.getByLabelText('Sort by')).toHaveValue('email')
    expect(within(chips()).getByRole('button', { name: 'Not required' })).toHaveAttribute(
      'aria-pressed',
      'true',
    )
    await waitFor(() => expect(footer()).toHaveTextContent(/^75 users$/))
    // Back where the person was, not at the top.
    expect(within(table()).getByRole('row', { name: /user061@example.com/ })).toBeInTheDocument()
    expect(within(table()).queryByRole('row', { name: /user001@example.com/ })).not.toBeInTheDocument()
  })

  it('re-sends invitations, saving the new codes once, and exports exactly the ticked users', async () => {
    const real = await openUsers(3)
    const { user, backend } = real
    const owner = await backend.services().users.byEmail('owner@example.com')
    for (const email of ['ivy@example.com', 'ian@example.com'])
      await backend.services().users.create({ email, name: email.split('@')[0]!, role: 'member' }, owner, {
        via: 'desktop',
        machine: 't',
      })
    const files = catchDownloads()
    await user.click(
      within(screen.getByRole('group', { name: 'Filter' })).getByRole('button', { name: 'Invited' }),
    )
    await waitFor(() => expect(footer()).toHaveTextContent(/^2 users$/))
    await user.click(screen.getByRole('checkbox', { name: 'Select all loaded users' }))
    const bar = screen.getByRole('region', { name: 'Selected users' })
    await user.click(within(bar).getByRole('button', { name: 'Re-send invitations' }))
    const dialog = await screen.findByRole('dialog', { name: 'Re-send invitations to 2 users?' })
    await waitFor(() => expect(dialog).toHaveTextContent('This applies to all 2 users.'))
    await user.click(within(dialog).getByRole('button', { name: 'Re-send invitations' }))
    const done = await screen.findByRole('dialog', { name: 'Done' })
    expect(within(done).getByRole('status')).toHaveTextContent('2 users changed.')
    expect(done).toHaveTextContent('the new invitation codes were saved to tessera-invitations.csv')
    await waitFor(() => expect(files).toHaveLength(1))
    const csv = await blobText(files[0]!)
    expect(csv.split('\r\n').filter(Boolean)).toEqual([
      'email,name,role,invitation_code,expires_at',
      expect.stringMatching(/^ian@example\.com,ian,member,[A-Z0-9-]+,20/),
      expect.stringMatching(/^ivy@example\.com,ivy,member,[A-Z0-9-]+,20/),
    ])
    // Downloaded, then confirmed: main's held copies are erased.
    await waitFor(async () =>
      expect(await sqlAll(backend.services().db, 'SELECT user_id FROM import_codes')).toEqual([]),
    )
    await user.click(within(done).getByRole('button', { name: 'Close' }))

    await user.click(
      within(screen.getByRole('group', { name: 'Filter' })).getByRole('button', { name: 'All' }),
    )
    await waitFor(() => expect(footer()).toHaveTextContent(/^6 users$/))
    await user.click(screen.getByRole('checkbox', { name: 'Select User 002' }))
    await user.click(screen.getByRole('checkbox', { name: 'Select ivy' }))
    await user.click(
      within(screen.getByRole('region', { name: 'Selected users' })).getByRole('button', {
        name: 'Export CSV',
      }),
    )
    const exporting = await screen.findByRole('dialog', { name: 'Export 2 users as CSV?' })
    await user.click(within(exporting).getByRole('button', { name: 'Export CSV' }))
    await screen.findByRole('dialog', { name: 'Done' })
    await waitFor(() => expect(files).toHaveLength(2))
    const exported = (await blobText(files[1]!)).split('\r\n').filter(Boolean)
    expect(exported.map((l) => l.split(',')[0])).toEqual(['email', 'user002@example.com', 'ivy@example.com'])
  })

  it('tells an admin which people the rules keep them from, and leaves those people alone', async () => {
    const real = await signedInOwner()
    const { backend } = real
    await seedUsers(backend, 4)
    await addUser(backend, {
      email: 'adam@example.com',
      name: 'Adam Admin',
      role: 'admin',
      password: ADMIN_PASSWORD,
    })
    await addUser(backend, {
      email: 'otto@example.com',
      name: 'Otto Owner',
      role: 'owner',
      password: ADMIN_PASSWORD,
    })
    const adam = buildApiClient(gateTransport(gateFor(backend), 'adam-window'))
    expect((await adam.auth.login({ email: 'adam@example.com', password: ADMIN_PASSWORD })).ok).toBe(true)
    const user = userEvent.setup()
    renderWithApi(adam)
    await user.click(await screen.findByRole('button', { name: 'Users' }))
    await screen.findByRole('table', { name: 'Users' })
    await waitFor(() => expect(footer()).toHaveTextContent(/^7 users$/))
    await user.click(screen.getByRole('checkbox', { name: 'Select all loaded users' }))
    const bar = screen.getByRole('region', { name: 'Selected users' })
    await user.click(within(bar).getByRole('button', { name: 'Disable' }))
    const dialog = await screen.findByRole('dialog', { name: 'Disable 7 users?' })
    await waitFor(() => expect(dialog).toHaveTextContent('4 users will be changed; 3 users will be skipped:'))
    const skipped = within(dialog).getByRole('list', { name: 'Will be skipped' })
    expect(
      within(skipped)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['Only an owner can disable an owner.2', 'You cannot disable your own account1'])
    await user.click(within(dialog).getByRole('button', { name: 'Disable' }))
    const done = await screen.findByRole('dialog', { name: 'Done' })
    expect(within(done).getByRole('status')).toHaveTextContent('4 users changed, 3 skipped.')
    const active = await sqlAll<{ email: string }>(
      backend.services().db,
      "SELECT email FROM users WHERE status = 'active' ORDER BY email",
    )
    expect(active.map((r) => r.email)).toEqual(['adam@example.com', 'otto@example.com', 'owner@example.com'])
  })
})

/** jsdom cannot download: catch each file where the page hands it to the browser. */
function catchDownloads(): Blob[] {
  const created: Blob[] = []
  HTMLAnchorElement.prototype.click = () => {}
  URL.createObjectURL = (b: Blob) => {
    created.push(b)
    return 'blob:test'
  }
  URL.revokeObjectURL = () => {}
  return created
}

const blobText = (blob: Blob): Promise<string> =>
  new Promise<string>((resolve) => {
    const reader = new FileReader()
    reader.onload = () => resolve(String(reader.result))
    reader.readAsText(blob)
  })
