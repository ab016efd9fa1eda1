import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { sqlValue } from '../../../../../test/fixtures/sql'
import { closeAll, renderWithApi, signedInOwner } from '../../test/harness'
import { idOf, seedUsers } from '../../test/users'

afterEach(closeAll)

/** The owner signed in, 8 seeded users (user008 enrolled), the console open on user`n`'s page. */
async function openUserPage(n: string) {
  const email = `user${n}@example.com`
  const real = await signedInOwner()
  await seedUsers(real.backend, 8)
  const user = userEvent.setup()
  renderWithApi(real.api)
  await user.click(await screen.findByRole('button', { name: 'Users' }))
  await user.type(screen.getByLabelText('Search'), `user${n}`)
  const table = await screen.findByRole('table', { name: 'Users' })
  await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(2))
  await user.click(within(table).getAllByRole('row')[1]!)
  expect(await screen.findByRole('heading', { name: `User ${n}` })).toBeVisible()
  return { ...real, user, id: await idOf(real.backend, email) }
}

const zone = () => screen.getByRole('region', { name: 'Danger zone' })
type Backend = Parameters<typeof idOf>[0]
const statusOf = (real: { backend: Backend }, id: number) =>
  sqlValue(real.backend.services().db, 'SELECT status FROM users WHERE id = ?', id)
const exists = async (real: { backend: Backend }, id: number) =>
  Number(await sqlValue(real.backend.services().db, 'SELECT count(*) FROM users WHERE id = ?', id)) === 1

describe('Danger zone', () => {
  it('holds reset 2FA, disable and delete, apart from the everyday actions', async () => {
    await openUserPage('008')
    const destructive = ['Reset 2FA', 'Disable', 'Delete']
    expect(
      within(zone())
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual(destructive)
    const everyday = screen.getByRole('group', { name: 'Actions' })
    for (const name of destructive) expect(within(everyday).queryByRole('button', { name })).toBeNull()
    expect(within(everyday).getByRole('button', { name: 'Change role' })).toBeVisible()
    // After the page's other panels: the last thing on it.
    const regions = screen.getAllByRole('region')
    expect(regions[regions.length - 1]).toBe(zone())
  })

  it('starts the confirmation on Cancel: Enter keeps the account as it is', async () => {
    const real = await openUserPage('005')
    const { user, id } = real
    const disable = within(zone()).getByRole('button', { name: 'Disable' })
    await user.click(disable)
    const dialog = screen.getByRole('dialog', { name: 'Disable User 005?' })
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus()
    await user.keyboard('{Enter}')
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(disable).toHaveFocus()
    expect(await statusOf(real, id)).toBe('active')

    await user.click(disable)
    await user.click(
      within(screen.getByRole('dialog', { name: 'Disable User 005?' })).getByRole('button', {
        name: 'Disable',
      }),
    )
    await waitFor(async () => expect(await statusOf(real, id)).toBe('disabled'))
    expect(await screen.findByRole('button', { name: 'Enable' })).toBeVisible()
    expect(within(zone()).queryByRole('button', { name: 'Disable' })).toBeNull()
  })

  it('deletes only once the person’s email is typed exactly', async () => {
    const real = await openUserPage('003')
    const { user, id } = real
    await user.click(within(zone()).getByRole('button', { name: 'Delete' }))
    const dialog = screen.getByRole('dialog', { name: 'Delete User 003?' })
    const typed = within(dialog).getByLabelText('Type user003@example.com to confirm')
    const confirm = within(dialog).getByRole('button', { name: 'Delete user' })
    expect(typed).toHaveFocus()
    expect(confirm).toBeDisabled()

    await user.type(typed, 'USER003@example.com')
    expect(confirm).toBeDisabled()
    await user.clear(typed)
    await user.type(typed, 'user003@example.co')
    expect(confirm).toBeDisabled()
    await user.keyboard('{Enter}')
    expect(dialog).toBeInTheDocument()
    expect(await exists(real, id)).toBe(true)

    await user.type(typed, 'm')
    expect(confirm).toBeEnabled()
    await user.click(confirm)
    expect(await screen.findByRole('heading', { name: 'Users' })).toBeVisible()
    expect(await exists(real, id)).toBe(false)
  })
})
