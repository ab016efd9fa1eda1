import { hostname } from 'node:os'
import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { closeAll, OWNER, renderWithApi, signedInOwner } from '../../test/harness'
import { AuditPage } from './AuditPage'

afterEach(closeAll)

/** The sentences of the events listed, in order. */
const eventTypes = (): string[] =>
  within(screen.getByRole('table', { name: 'Audit events' }))
    .getAllByRole('row')
    .slice(1)
    .map((r) => within(r).getAllByRole('cell')[1]!.querySelector('p')!.textContent ?? '')

describe('AuditPage', () => {
  it('lists events newest first, pages back with "Load older", and verifies the chain', async () => {
    const { api, backend } = await signedInOwner()
    await api.auth.lock({ reason: 'manual' })
    await api.auth.logout()
    await api.auth.login({ email: OWNER.email, password: OWNER.password })
    const user = userEvent.setup()
    renderWithApi(api, <AuditPage pageSize={2} />)
    await screen.findByRole('table')
    expect(eventTypes()).toEqual([
      `${OWNER.name} signed in with a password on ${hostname()}.`,
      `${OWNER.name} signed out on ${hostname()}.`,
    ])

    await user.click(screen.getByRole('button', { name: 'Load older' }))
    expect(await screen.findByText(`${OWNER.name} locked the console on ${hostname()}.`)).toBeVisible()
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
    expect(eventTypes()).toContain(
      `${OWNER.name} set up Tessera and became its first owner on ${hostname()}.`,
    )

    await user.click(screen.getByRole('button', { name: 'Verify chain' }))
    expect(await screen.findByRole('status')).toHaveTextContent(`Chain intact: ${count} events verified.`)
  })

  it('filters by kind, person and days in main, and says when nothing matches', async () => {
    const { api, backend } = await signedInOwner()
    await api.auth.lock({ reason: 'manual' })
    await api.auth.unlock({ password: OWNER.password })
    const user = userEvent.setup()
    renderWithApi(api, <AuditPage />)
    await screen.findByRole('table', { name: 'Audit events' })
    const all = eventTypes().length

    await user.selectOptions(screen.getByLabelText('Kind of event'), 'Sign-ins and sessions')
    await waitFor(() => expect(eventTypes().length).toBeLessThan(all))
    expect(eventTypes()).toEqual([
      `${OWNER.name} unlocked the console on ${hostname()}.`,
      `${OWNER.name} locked the console on ${hostname()}.`,
      ...eventTypes().slice(2),
    ])
    expect(eventTypes().every((s) => /signed in|console|password/.test(s))).toBe(true)

    await user.selectOptions(screen.getByLabelText('Kind of event'), 'Recovery requests')
    expect(await screen.findByText('No events match these filters.')).toBeVisible()
    await user.click(screen.getByRole('button', { name: 'Clear filters' }))
    await waitFor(() => expect(eventTypes()).toHaveLength(all))

    await user.type(screen.getByLabelText('Person'), 'Olivia')
    await user.click(await screen.findByRole('button', { name: `${OWNER.name} ${OWNER.email}` }))
    expect(screen.getByRole('group', { name: 'Person' })).toHaveTextContent(OWNER.name)
    await waitFor(() => expect(eventTypes()).toHaveLength(all))

    // Days are local days; a range that ends before it starts is refused on the form.
    await user.type(screen.getByLabelText('From'), '2030-01-02')
    await user.type(screen.getByLabelText('To'), '2030-01-01')
    expect(await screen.findByText('The last day comes before the first.')).toBeVisible()
    await user.clear(screen.getByLabelText('To'))
    expect(await screen.findByText('No events match these filters.')).toBeVisible()
    expect(await backend.services().audit.count()).toBeGreaterThan(0)
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
