import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { closeAll, OWNER, renderWithApi, signedInOwner } from '../../test/harness'
import { AuditPage } from './AuditPage'

afterEach(closeAll)

const eventTypes = (): string[] =>
  within(screen.getByRole('table'))
    .getAllByRole('row')
    .slice(1)
    .map((r) => within(r).getAllByRole('cell')[2]!.textContent ?? '')

describe('AuditPage', () => {
  it('lists events newest first, pages back with "Load older", and verifies the chain', async () => {
    const { api, backend } = await signedInOwner()
    await api.auth.lock({ reason: 'manual' })
    await api.auth.logout()
    await api.auth.login({ email: OWNER.email, password: OWNER.password })
    const user = userEvent.setup()
    renderWithApi(api, <AuditPage pageSize={2} />)
    await screen.findByRole('table')
    expect(eventTypes()).toEqual(['login.succeeded', 'logout'])

    await user.click(screen.getByRole('button', { name: 'Load older' }))
    expect(await screen.findByText('session.locked')).toBeVisible()
    while (screen.queryByRole('button', { name: 'Load older' })) {
      const before = eventTypes().length
      await user.click(screen.getByRole('button', { name: 'Load older' }))
      await waitFor(() =>
        expect(eventTypes().length > before || !screen.queryByRole('button', { name: 'Load older' })).toBe(
          true,
        ),
      )
    }
    const count = await backend.services().audit.count()
    expect(eventTypes()).toHaveLength(count)
    expect(eventTypes()).toContain('login.succeeded')

    await user.click(screen.getByRole('button', { name: 'Verify chain' }))
    expect(await screen.findByRole('status')).toHaveTextContent(`Chain intact: ${count} events verified.`)
  })

  it('sends an anchor of the head to the owners (owners only)', async () => {
    const { api, backend } = await signedInOwner()
    const user = userEvent.setup()
    renderWithApi(api, <AuditPage owner />)
    await user.click(await screen.findByRole('button', { name: 'Send anchor to owners' }))
    const notice = await screen.findByText(/Anchored at event #/)
    expect(notice).toHaveTextContent(/Sent to 1 owner\./)
    const anchored = (await backend.services().audit.list(undefined, 20)).events.find(
      (e) => e.type === 'audit.anchored',
    )!
    expect(notice).toHaveTextContent(`Anchored at event #${anchored.seq}, hash ${anchored.hash}`)
  })

  it('shows no anchor buttons to an admin', async () => {
    const { api } = await signedInOwner()
    renderWithApi(api, <AuditPage />)
    await screen.findByRole('table')
    expect(screen.queryByRole('button', { name: 'Save anchor…' })).toBeNull()
  })
})
