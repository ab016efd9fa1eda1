import { hostname } from 'node:os'
import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { getThrottle } from '../../../../main/db/queries/throttle'
import { insertTotp } from '../../../../main/db/queries/two-factor'
import { buildApiClient } from '../../../../shared/client'
import { addUser, gateFor, gateTransport } from '../../../../../test/fixtures/backend'
import { sqlValue } from '../../../../../test/fixtures/sql'
import { closeAll, OWNER, renderWithApi, signedInOwner } from '../../test/harness'
import { idOf, seedUsers } from '../../test/users'

afterEach(closeAll)

const ADMIN_PASSWORD = 'an admin passphrase 4242'

/** The owner signed in, 8 seeded users (user007 locked), the console open on one user's page. */
async function openUserPage(email: string) {
  const real = await signedInOwner()
  await seedUsers(real.backend, 8, { locked: [7] })
  const user = userEvent.setup()
  renderWithApi(real.api)
  await user.click(await screen.findByRole('button', { name: 'Users' }))
  await user.type(screen.getByLabelText('Search'), email)
  const table = await screen.findByRole('table', { name: 'Users' })
  await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(2))
  await user.click(within(table).getAllByRole('row')[1]!)
  return { ...real, user }
}

const panel = (name: string) => screen.getByRole('region', { name })

describe('UserPage', () => {
  it('unlocks a locked user after confirmation', async () => {
    const { user, backend } = await openUserPage('user007')
    expect(await screen.findByRole('heading', { name: 'User 007' })).toBeVisible()
    expect(panel('Sign-in lock')).toHaveTextContent(/Locked until/)
    await user.click(within(panel('Sign-in lock')).getByRole('button', { name: 'Unlock' }))
    const dialog = screen.getByRole('dialog', { name: 'Unlock User 007?' })
    await user.click(within(dialog).getByRole('button', { name: 'Unlock' }))
    await waitFor(() => expect(panel('Sign-in lock')).toHaveTextContent('Not locked.'))
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument()
    const id = await idOf(backend, 'user007@example.com')
    expect(
      (await getThrottle(backend.services().db, { userId: id, factor: 'password' })).locked_until,
    ).toBeNull()
    const events = within(panel('Recent events'))
    expect(await events.findByText(`${OWNER.name} unlocked User 007 on ${hostname()}.`)).toBeVisible()
  })

  it('shows the backup-code slots, and resets 2FA only once confirmed', async () => {
    const { user, backend } = await openUserPage('user008')
    await screen.findByRole('heading', { name: 'User 008' })
    const twoFactor = panel('Two-factor authentication')
    expect(twoFactor).toHaveTextContent(/Enrolled on/)
    expect(twoFactor).toHaveTextContent(/Emergency phone\+\d+ ••• ••• \d{3} · verified/)
    expect(panel('Recovery history')).toHaveTextContent('No recovery requests.')
    expect(twoFactor).toHaveTextContent('1/5 left')
    const slots = within(twoFactor).getAllByRole('listitem')
    expect(slots).toHaveLength(5)
    expect(slots[0]).toHaveTextContent(/Code 1used at .* on desk-7/)
    expect(slots[4]).toHaveTextContent('Code 5unused')

    const id = await idOf(backend, 'user008@example.com')
    await user.click(screen.getByRole('button', { name: 'Reset 2FA' }))
    let dialog = screen.getByRole('dialog', { name: 'Reset 2FA for User 008?' })
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }))
    expect((await backend.services().twoFactor.status(id)).enrolled).toBe(true)

    await user.click(screen.getByRole('button', { name: 'Reset 2FA' }))
    dialog = screen.getByRole('dialog', { name: 'Reset 2FA for User 008?' })
    await user.click(within(dialog).getByRole('button', { name: 'Reset 2FA' }))
    await waitFor(() => expect(twoFactor).toHaveTextContent(/StatusMust set up a new authenticator/))
    expect(screen.queryByRole('button', { name: 'Reset 2FA' })).not.toBeInTheDocument()
    expect(await backend.services().twoFactor.status(id)).toMatchObject({
      enrolled: false,
      backupCodesRemaining: 0,
    })
  })

  it('shows main’s refusal to demote the last owner, and changes nothing', async () => {
    const { user, backend } = await openUserPage('owner@')
    expect(await screen.findByRole('heading', { name: OWNER.name })).toBeVisible()
    // One cannot disable or delete oneself: those are not offered.
    expect(screen.queryByRole('button', { name: 'Delete' })).not.toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Disable' })).not.toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Change role' }))
    const dialog = screen.getByRole('dialog', { name: `Change the role of ${OWNER.name}?` })
    await user.selectOptions(within(dialog).getByLabelText('New role'), 'admin')
    await user.click(within(dialog).getByRole('button', { name: 'Change role' }))
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Tessera needs at least one active owner: make someone else an owner first.',
    )
    expect(await sqlValue(backend.services().db, 'SELECT role FROM users WHERE id = 1')).toBe('owner')
  })

  it('resends an invitation and shows the new code once', async () => {
    const real = await signedInOwner()
    const { backend } = real
    const actor = { id: 1, email: OWNER.email, name: OWNER.name, role: 'owner' as const }
    const first = await backend
      .services()
      .users.create({ email: 'ivy@example.com', name: 'Ivy Invited', role: 'member' }, actor, backend.client)
    const user = userEvent.setup()
    renderWithApi(real.api)
    await user.click(await screen.findByRole('button', { name: 'Users' }))
    await user.click(await screen.findByRole('button', { name: 'Ivy Invited' }))
    expect(await screen.findByText(/valid until/)).toBeVisible()
    await user.click(screen.getByRole('button', { name: 'Resend invitation' }))
    await user.click(screen.getByRole('button', { name: 'Create new code' }))
    const shown = await screen.findByRole('dialog', { name: 'Invitation code' })
    const codeBox = within(shown).getByLabelText('Invitation code')
    const code = codeBox.textContent!
    expect(code).not.toBe(first.code)
    // Focused as it appears, so a screen reader reads it; in even groups, no last group of one letter.
    expect(codeBox).toHaveFocus()
    expect(code).toMatch(/^[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}(-[2-9A-HJ-NP-Z]{4}){4}$/)
    // Neither Escape nor a click beside it loses the code: only Done does.
    await user.keyboard('{Escape}')
    await user.click(document.querySelector('.dialog-backdrop')!)
    expect(screen.getByRole('dialog', { name: 'Invitation code' })).toBe(shown)
    expect(document.getElementById('root') ?? shown.ownerDocument.body.firstElementChild).toHaveAttribute(
      'inert',
    )
    await user.click(within(shown).getByRole('button', { name: 'Read it aloud' }))
    const spelled = within(shown).getByRole('list', { name: 'Spelled for reading aloud' })
    const groups = code.split('-')
    const said = within(spelled).getAllByRole('listitem')
    expect(said).toHaveLength(groups.length)
    expect(said[0]).toHaveTextContent(groups[0]!)
    expect(said[0]!.textContent!.replace(groups[0]!, '').split(' ')).toHaveLength(5)
    await user.click(within(shown).getByRole('button', { name: 'Done' }))
    expect(screen.queryByText(code)).not.toBeInTheDocument()
    await expect(
      backend
        .services()
        .users.activate('ivy@example.com', first.code!, 'orchid-lantern-harbour-9', backend.client),
    ).rejects.toThrow()
    const ok = await backend
      .services()
      .users.activate('ivy@example.com', code, 'orchid-lantern-harbour-9', backend.client)
    expect(ok.user.email).toBe('ivy@example.com')
  })
})

describe('UserPage as an admin', () => {
  it('offers no action on an owner, and turns a reset of another admin into a request for two approvers', async () => {
    const real = await signedInOwner()
    const { backend } = real
    await addUser(backend, {
      email: 'adam@example.com',
      name: 'Adam Admin',
      role: 'admin',
      password: ADMIN_PASSWORD,
    })
    const bea = await addUser(backend, {
      email: 'bea@example.com',
      name: 'Bea Admin',
      role: 'admin',
      password: ADMIN_PASSWORD,
    })
    await insertTotp(backend.services().db, bea, new Uint8Array(20).fill(7), Date.now(), 0)
    const adam = buildApiClient(gateTransport(gateFor(backend), 'adam-window'))
    expect((await adam.auth.login({ email: 'adam@example.com', password: ADMIN_PASSWORD })).ok).toBe(true)
    const user = userEvent.setup()
    renderWithApi(adam)

    const open = async (email: string, name: string) => {
      await user.click(await screen.findByRole('button', { name: 'Users' }))
      await user.clear(screen.getByLabelText('Search'))
      await user.type(screen.getByLabelText('Search'), email)
      const table = await screen.findByRole('table', { name: 'Users' })
      // The list comes back as it was left (the last search's one row): wait for this search's row.
      await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(2))
      await waitFor(() => expect(within(table).getAllByRole('row')[1]).toHaveTextContent(email))
      await user.click(within(table).getAllByRole('row')[1]!)
      expect(await screen.findByRole('heading', { name })).toBeVisible()
    }

    await open(OWNER.email, OWNER.name)
    for (const name of ['Reset 2FA', 'Disable', 'Change role', 'Delete', 'Require 2FA', 'Stop requiring 2FA'])
      expect(screen.queryByRole('button', { name }), name).toBeNull()

    await open('bea@example.com', 'Bea Admin')
    await user.click(
      within(screen.getByRole('region', { name: 'Danger zone' })).getByRole('button', { name: 'Reset 2FA' }),
    )
    const confirm = screen.getByRole('dialog', { name: 'Reset 2FA for Bea Admin?' })
    expect(confirm).toHaveTextContent('one person cannot remove their second factor')
    await user.click(within(confirm).getByRole('button', { name: 'Reset 2FA' }))
    const filed = await screen.findByRole('dialog', { name: 'Recovery request #1 filed' })
    expect(filed).toHaveTextContent('Their current authenticator keeps working until then.')
    expect(await backend.services().twoFactor.isEnrolled(bea)).toBe(true)
    await user.click(within(filed).getByRole('button', { name: 'Open the request' }))
    expect(await screen.findByRole('heading', { name: 'Request #1: Bea Admin' })).toBeVisible()
  })
})
