import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { closeAll, renderWithApi, signedInOwner } from '../../test/harness'
import { seedUsers } from '../../test/users'

afterEach(closeAll)

const table = () => screen.getByRole('table', { name: 'Users' })
const row = (name: string) => within(table()).getByRole('row', { name: new RegExp(name) })
const riskCell = (name: string) => within(row(name)).getAllByRole('cell')[columnOf('Risk')]!
const columnOf = (header: string) =>
  within(table())
    .getAllByRole('columnheader')
    .findIndex((h) => h.textContent === header)

/** The owner (no 2FA: at risk) and 16 seeded users, on the Users page filtered to those at risk. */
async function openAtRisk() {
  const real = await signedInOwner()
  // user007 locked; user003 required (grace period 0: overdue) and locked too.
  await seedUsers(real.backend, 16, { locked: [7, 3] })
  const user = userEvent.setup()
  renderWithApi(real.api)
  await user.click(await screen.findByRole('button', { name: 'Users' }))
  await screen.findByRole('table', { name: 'Users' })
  await user.click(
    within(screen.getByRole('group', { name: 'Filter' })).getByRole('button', { name: 'At risk' }),
  )
  return { ...real, user }
}

describe('the Risk column and the reasons on a user page', () => {
  it('names the worst reason, with the rest as "+N more" and in accessible text', async () => {
    const { user } = await openAtRisk()
    // The owner; required and overdue: 3, 6, 9, 15 (12 is enrolled); one code left: 8, 16; locked: 7.
    await waitFor(() =>
      expect(
        within(table())
          .getAllByRole('row')
          .slice(1)
          .map((r) => r.textContent?.match(/User \d+|Olivia Owner/)?.[0]),
      ).toEqual([
        'Olivia Owner',
        'User 003',
        'User 006',
        'User 007',
        'User 008',
        'User 009',
        'User 015',
        'User 016',
      ]),
    )
    expect(riskCell('Olivia Owner')).toHaveTextContent(/^Owner without 2FA$/)
    expect(riskCell('User 006')).toHaveTextContent(/^2FA overdue$/)
    expect(riskCell('User 007')).toHaveTextContent(/^Locked until .+$/)
    expect(riskCell('User 008')).toHaveTextContent(/^1 backup code left$/)
    // Two reasons: the worst in words, "+1 more" on screen, both on hover and for a screen reader.
    const both = riskCell('User 003')
    expect(within(both).getByText('2FA overdue')).toBeVisible()
    expect(within(both).getByText('+1 more')).toHaveAttribute('aria-hidden', 'true')
    expect(both).toHaveTextContent(/^2FA overdue \+1 more, also: Locked until .+$/)
    expect(both.querySelector('[title]')).toHaveAttribute(
      'title',
      expect.stringMatching(/^2FA overdue; Locked until /),
    )
    // Not at risk: a dash.
    await user.click(
      within(screen.getByRole('group', { name: 'Filter' })).getByRole('button', { name: 'All' }),
    )
    await waitFor(() => expect(riskCell('User 004')).toHaveTextContent(/^—$/))
  })

  it('lists every reason on the user page, worst first, with what to do', async () => {
    const { user } = await openAtRisk()
    await waitFor(() => expect(row('User 003')).toBeVisible())
    await user.click(within(row('User 003')).getByRole('button', { name: 'User 003' }))
    await screen.findByRole('heading', { name: 'User 003' })
    const reasons = within(screen.getByRole('region', { name: 'At risk' })).getAllByRole('listitem')
    expect(reasons.map((r) => r.textContent)).toEqual([
      expect.stringMatching(/^2FA overdue\. .*grace period is over.*setting it up/),
      expect.stringMatching(/^Locked until .*\. Failed sign-in attempts.*guessing the password.*unlock it/),
    ])
    await user.click(screen.getByRole('button', { name: '← Users' }))
    await waitFor(() => expect(row('User 008')).toBeVisible())
    await user.click(within(row('User 008')).getByRole('button', { name: 'User 008' }))
    await screen.findByRole('heading', { name: 'User 008' })
    expect(screen.getByRole('region', { name: 'At risk' })).toHaveTextContent(
      /1 backup code left\. Only one backup code is left/,
    )
    await user.click(screen.getByRole('button', { name: '← Users' }))
    await user.click(
      within(screen.getByRole('group', { name: 'Filter' })).getByRole('button', { name: 'All' }),
    )
    await waitFor(() => expect(row('User 004')).toBeVisible())
    await user.click(within(row('User 004')).getByRole('button', { name: 'User 004' }))
    await screen.findByRole('heading', { name: 'User 004' })
    expect(screen.queryByRole('region', { name: 'At risk' })).not.toBeInTheDocument()
  })
})
