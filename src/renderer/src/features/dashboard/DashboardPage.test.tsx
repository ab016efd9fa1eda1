import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { closeAll, OWNER, renderWithApi, signedInOwner } from '../../test/harness'
import { seedUsers } from '../../test/users'

afterEach(closeAll)

describe('DashboardPage', () => {
  it('shows the figures, each a link to the Users page with that filter', async () => {
    const { api, backend } = await signedInOwner()
    // 24 users + the owner: 6 enrolled, 8 required (2 of them enrolled), 3 with one code left, 2 locked.
    // The seed spends 4 codes of every 8th user (3 users): 12 backup codes used this week.
    // At risk: those 3, the owner (no 2FA), the 6 required and not enrolled (no grace period), the 2 locked.
    await seedUsers(backend, 24, { locked: [5, 11] })
    const d = await backend.services().users.dashboard()
    expect(d).toMatchObject({
      users: 25,
      enrolled: 6,
      required: 8,
      requiredEnrolled: 2,
      atRisk: 12,
      locked: 2,
    })
    const user = userEvent.setup()
    renderWithApi(api)
    expect(await screen.findByRole('heading', { name: `Welcome, ${OWNER.name}` })).toBeVisible()
    const figures = await screen.findByRole('region', { name: 'Figures' })
    expect(
      within(figures).getByRole('button', { name: '2FA adoption: 6 / 25. Show these users' }),
    ).toBeVisible()
    expect(within(figures).getByText('24% of users enrolled')).toBeVisible()
    expect(within(figures).getByText('2 / 8 required users enrolled')).toBeVisible()
    expect(within(figures).getByRole('button', { name: 'At risk: 12. Show these users' })).toBeVisible()
    expect(
      within(figures).getByRole('button', { name: 'Pending invitations: 0. Show these users' }),
    ).toBeVisible()

    const chart = screen.getByRole('img', { name: /Backup codes used per week, last 12 weeks/ })
    expect(chart).toHaveAccessibleName(/12 used in total/)
    const bars = chart.querySelectorAll('g[aria-label]')
    expect(bars).toHaveLength(12)
    expect(bars[11]).toHaveAttribute('aria-label', expect.stringMatching(/^Week of .+: 12 used$/))
    expect(bars[10]).toHaveAttribute('aria-label', expect.stringMatching(/: 0 used$/))

    await user.click(within(figures).getByRole('button', { name: 'Locked: 2. Show these users' }))
    expect(await screen.findByRole('heading', { name: 'Users' })).toBeVisible()
    expect(
      within(screen.getByRole('group', { name: 'Filter' })).getByRole('button', { name: 'Locked' }),
    ).toHaveAttribute('aria-pressed', 'true')
    const table = await screen.findByRole('table', { name: 'Users' })
    await waitFor(() =>
      expect(within(table.parentElement!).getByRole('status')).toHaveTextContent(/^2 users$/),
    )
    expect(within(table).getByText('User 005')).toBeVisible()
    expect(within(table).getByText('User 011')).toBeVisible()

    await user.click(screen.getByRole('button', { name: 'Dashboard' }))
    await user.click(
      await screen.findByRole('button', { name: 'Required but not enrolled: 6. Show these users' }),
    )
    const required = await screen.findByRole('table', { name: 'Users' })
    await waitFor(() =>
      expect(within(required.parentElement!).getByRole('status')).toHaveTextContent(/^6 users$/),
    )
  })
})
