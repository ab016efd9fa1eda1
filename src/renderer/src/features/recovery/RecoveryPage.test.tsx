import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { closeAll, renderWithApi } from '../../test/harness'
import { addPerson, fileRequest, ownerAgent } from '../../test/recovery'
import { ownerOnManualClock } from '../../test/two-factor'

afterEach(closeAll)

const rowsOf = (table: HTMLElement) => within(table).getAllByRole('row').slice(1)

describe('Recovery queue', () => {
  it('lists live requests newest first, counts them in the navigation and on the dashboard, and filters', async () => {
    const real = await ownerOnManualClock()
    const mia = await addPerson(real, 'mia@example.com', 'Mia Member')
    const ada = await addPerson(real, 'ada@example.com', 'Ada Admin', 'admin')
    const noa = await addPerson(real, 'noa@example.com', 'Noa Member')
    await fileRequest(real, mia.id)
    real.clock.advance(60_000)
    await fileRequest(real, ada.id)
    real.clock.advance(60_000)
    await fileRequest(real, noa.id)
    const owner = await ownerAgent(real)
    await owner.check(1, ['photo_id'])
    await owner.deny(3, 'Could not reach them back')

    const user = userEvent.setup()
    renderWithApi(real.api)
    const nav = await screen.findByRole('navigation', { name: 'Main' })
    expect(await within(nav).findByRole('button', { name: 'Recovery, 2 waiting' })).toBeVisible()
    await user.click(
      await screen.findByRole('button', {
        name: 'Open recovery requests: 2. Open the Recovery queue',
      }),
    )
    expect(await screen.findByRole('heading', { name: 'Recovery' })).toBeVisible()
    const filters = screen.getByRole('group', { name: 'Filter' })
    expect(within(filters).getByRole('button', { name: 'Waiting for support (2)' })).toHaveAttribute(
      'aria-pressed',
      'true',
    )
    let table = await screen.findByRole('table', { name: 'Recovery requests' })
    const rows = rowsOf(table)
    expect(rows).toHaveLength(2)
    // #, status, person, role, filed, expires, checks, approvals.
    const cells = (row: HTMLElement) =>
      within(row)
        .getAllByRole('cell')
        .map((c) => c.textContent)
    expect(cells(rows[0]!)).toEqual([
      '#2',
      'Open',
      'Ada Adminada@example.com',
      'Administrator',
      expect.any(String),
      expect.any(String),
      '0',
      '0/2',
    ])
    expect(cells(rows[1]!).slice(0, 4)).toEqual(['#1', 'Verifying', 'Mia Membermia@example.com', 'Member'])
    expect(cells(rows[1]!).slice(6)).toEqual(['1', '0/1'])
    // Filed at the clock's time; expires 72 hours later (the policy's default).
    const filed = new Date(real.clock.now() - 60_000)
    expect(cells(rows[0]!)[4]).toContain(String(filed.getFullYear()))

    await user.click(within(filters).getByRole('button', { name: 'All' }))
    await waitFor(() =>
      expect(rowsOf(screen.getByRole('table', { name: 'Recovery requests' }))).toHaveLength(3),
    )
    table = screen.getByRole('table', { name: 'Recovery requests' })
    expect(cells(rowsOf(table)[0]!).slice(0, 3)).toEqual(['#3', 'Denied', 'Noa Membernoa@example.com'])

    await user.click(within(filters).getByRole('button', { name: 'Denied' }))
    await waitFor(() =>
      expect(rowsOf(screen.getByRole('table', { name: 'Recovery requests' }))).toHaveLength(1),
    )
    await user.click(within(filters).getByRole('button', { name: 'Completed' }))
    expect(await screen.findByText('No requests.')).toBeVisible()

    await user.click(within(filters).getByRole('button', { name: 'Waiting for support (2)' }))
    table = await screen.findByRole('table', { name: 'Recovery requests' })
    await user.click(within(table).getByRole('button', { name: 'Mia Member' }))
    expect(await screen.findByRole('heading', { name: 'Request #1: Mia Member' })).toBeVisible()
    // A request's page belongs under Recovery in the navigation.
    expect(within(nav).getByRole('button', { name: /^Recovery/ })).toHaveAttribute('aria-current', 'page')
  })

  it('is there for a support agent, who may also read users’ pages', async () => {
    const real = await ownerOnManualClock()
    const sam = await addPerson(real, 'sam@example.com', 'Sam Support', 'support')
    const mia = await addPerson(real, 'mia@example.com', 'Mia Member')
    await fileRequest(real, mia.id)
    await real.api.auth.logout()
    const login = await real.api.auth.login({ email: sam.email, password: 'person-password-4242' })
    expect(login.ok).toBe(true)
    const user = userEvent.setup()
    renderWithApi(real.api)
    const nav = await screen.findByRole('navigation', { name: 'Main' })
    expect(await within(nav).findByRole('button', { name: 'Recovery, 1 waiting' })).toHaveTextContent(
      /^Recovery 1$/,
    )
    expect(
      within(nav)
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual(['Dashboard', 'Users', 'Recovery 1', 'My profile'])
    await user.click(within(nav).getByRole('button', { name: 'Recovery, 1 waiting' }))
    await user.click(await screen.findByRole('button', { name: 'Mia Member' }))
    await screen.findByRole('heading', { name: 'Request #1: Mia Member' })
    await user.click(screen.getByRole('button', { name: 'Open user page' }))
    expect(await screen.findByRole('heading', { name: 'Mia Member' })).toBeVisible()
    expect(screen.getByRole('region', { name: 'Account' })).toHaveTextContent('mia@example.com')
  })
})
