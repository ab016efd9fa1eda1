import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import type { Input } from '../../../../shared/api'
import type { ApiClient } from '../../../../shared/client'
import { closeAll, renderWithApi, signedInOwner } from '../../test/harness'
import { idOf, ownerActor, seedUsers } from '../../test/users'

afterEach(closeAll)

const table = () => screen.getByRole('table', { name: 'Users' })
const bodyRows = () => within(table()).getAllByRole('row').slice(1)
// The count sits just below the table, in the same frame.
const footer = () => within(table().parentElement!).getByRole('status')

async function openUsers(seed: number, opts: Parameters<typeof seedUsers>[2] = {}) {
  const real = await signedInOwner()
  await seedUsers(real.backend, seed, opts)
  const user = userEvent.setup()
  renderWithApi(real.api)
  await user.click(await screen.findByRole('button', { name: 'Users' }))
  await screen.findByRole('table', { name: 'Users' })
  return { ...real, user }
}

describe('UsersPage', () => {
  it('draws only the rows in view and loads the next keyset page as the scroll nears the end', async () => {
    await openUsers(120)
    expect(footer()).toHaveTextContent('100 users loaded')
    expect(table()).toHaveAttribute('aria-rowcount', '101')
    // 100 loaded, far fewer drawn: the viewport's rows plus the overscan.
    expect(bodyRows().length).toBeLessThan(35)
    expect(within(table()).getByText('Olivia Owner')).toBeVisible()
    expect(screen.queryByText('User 090')).not.toBeInTheDocument()

    const viewport = screen.getByTestId('vtable-viewport')
    fireEvent.scroll(viewport, { target: { scrollTop: 90 * 40 } })
    await waitFor(() => expect(footer()).toHaveTextContent('121 users'))
    expect(footer()).not.toHaveTextContent('loaded')
    expect(bodyRows().length).toBeLessThan(35)
    fireEvent.scroll(viewport, { target: { scrollTop: 121 * 40 } })
    const last = within(table()).getByRole('row', { name: /User 120/ })
    expect(last).toHaveAttribute('aria-rowindex', '122')
    expect(within(last).getByText('user120@example.com')).toBeVisible()
    expect(within(last).getByText('Enrolled')).toBeVisible()
    expect(within(last).getByText('1/5')).toBeVisible()
    expect(within(table()).queryByText('Olivia Owner')).not.toBeInTheDocument()
  })

  it('filters by state and role, searches by prefix, and sorts', async () => {
    const { user } = await openUsers(120, { locked: [7, 33] })
    const chips = screen.getByRole('group', { name: 'Filter' })
    await user.click(within(chips).getByRole('button', { name: 'Locked' }))
    await waitFor(() => expect(footer()).toHaveTextContent(/^2 users$/))
    expect(bodyRows().map((r) => r.textContent)).toEqual([
      expect.stringMatching(/User 007.*Locked until/),
      expect.stringMatching(/User 033.*Locked until/),
    ])

    await user.click(within(chips).getByRole('button', { name: 'At risk' }))
    // Every 8th user has one backup code left (15 of 120); every 3rd not enrolled is required and
    // overdue (30; no grace period); the owner has no 2FA; User 007 is locked.
    await waitFor(() => expect(footer()).toHaveTextContent(/^47 users$/))

    await user.click(within(chips).getByRole('button', { name: 'All' }))
    await user.selectOptions(screen.getByLabelText('Role'), 'support')
    await waitFor(() => expect(footer()).toHaveTextContent(/^12 users$/))
    await user.type(screen.getByLabelText('Search'), 'user05')
    await waitFor(() => expect(footer()).toHaveTextContent(/^1 user$/))
    expect(bodyRows()[0]).toHaveTextContent('user050@example.com')

    await user.selectOptions(screen.getByLabelText('Role'), '')
    await waitFor(() => expect(footer()).toHaveTextContent(/^10 users$/))
    await user.clear(screen.getByLabelText('Search'))
    await user.type(screen.getByLabelText('Search'), 'Olivia')
    await waitFor(() => expect(footer()).toHaveTextContent(/^1 user$/))
    await user.clear(screen.getByLabelText('Search'))
    await user.selectOptions(screen.getByLabelText('Sort by'), 'email')
    await waitFor(() => expect(bodyRows()[0]).toHaveTextContent('owner@example.com'))
  })

  it('adds a user and shows the invitation code once', async () => {
    const { user, backend } = await openUsers(3)
    await user.click(screen.getByRole('button', { name: 'Add user' }))
    const dialog = screen.getByRole('dialog', { name: 'Add user' })
    // The policy's default for new users (on unless changed in Settings).
    expect((await backend.services().policy.get()).requireTwoFactorForNewUsers).toBe(true)
    expect(within(dialog).getByLabelText('Require two-factor authentication')).toBeChecked()
    await user.type(within(dialog).getByLabelText('Email'), 'user001@EXAMPLE.com')
    await user.type(within(dialog).getByLabelText('Name'), 'Duplicate')
    await user.click(within(dialog).getByRole('button', { name: 'Add user' }))
    expect(await within(dialog).findByText('This email is already in use')).toBeVisible()

    await user.clear(within(dialog).getByLabelText('Email'))
    await user.type(within(dialog).getByLabelText('Email'), 'mia@example.com')
    await user.clear(within(dialog).getByLabelText('Name'))
    await user.type(within(dialog).getByLabelText('Name'), 'Mia Member')
    await user.click(within(dialog).getByRole('button', { name: 'Add user' }))

    const shown = await screen.findByRole('dialog', { name: 'Invitation code' })
    const code = within(shown).getByLabelText('Invitation code').textContent!
    expect(code.replace(/[^A-Z0-9]/g, '').length).toBeGreaterThanOrEqual(26)
    expect(within(shown).getByText(/Valid until/)).toBeVisible()
    await user.click(within(shown).getByRole('button', { name: 'Done' }))
    expect(screen.queryByText(code)).not.toBeInTheDocument()
    expect(await within(table()).findByText('mia@example.com')).toBeVisible()

    // The code on screen is the one main stored (as a hash): it activates Mia, who must enroll.
    const activated = await backend
      .services()
      .users.activate('mia@example.com', code, 'orchid-lantern-harbour-9', backend.client)
    expect(activated.next).toBe('enroll')
    expect(activated.user.id).toBe(await idOf(backend, 'mia@example.com'))
  })
})

/**
 * window.api with its list and user calls seen and, when `held`, kept waiting until `release()`: what the
 * page shows meanwhile can only come from what it had already asked for.
 */
function heldApi(api: ApiClient) {
  const lists: Input<'users.list'>[] = []
  let held = false
  let waiting: (() => void)[] = []
  const wait = (): Promise<void> => (held ? new Promise((go) => waiting.push(go)) : Promise.resolve())
  const spied: ApiClient = {
    ...api,
    users: {
      ...api.users,
      list: async (input) => {
        lists.push(input ?? {})
        await wait()
        return api.users.list(input)
      },
      get: async (input) => {
        await wait()
        return api.users.get(input)
      },
    },
  }
  return {
    api: spied,
    lists,
    hold: () => {
      held = true
    },
    release: () => {
      held = false
      for (const go of waiting) go()
      waiting = []
    },
  }
}

/** The distinct lists asked for, as filter/sort. */
const listsAsked = (lists: Input<'users.list'>[]): string[] =>
  [...new Set(lists.map((l) => `${l.filter ?? 'all'}/${l.sort}`))].sort()

describe('UsersPage, one click ahead', () => {
  async function openHeld(seed: number, opts: Parameters<typeof seedUsers>[2] = {}) {
    const real = await signedInOwner()
    await seedUsers(real.backend, seed, opts)
    const held = heldApi(real.api)
    const user = userEvent.setup()
    renderWithApi(held.api)
    await user.click(await screen.findByRole('button', { name: 'Users' }))
    await screen.findByRole('table', { name: 'Users' })
    return { ...real, ...held, user }
  }

  it('has every chip and sort ready once the list is on screen: a click shows its rows with main held', async () => {
    const { user, lists, hold, release } = await openHeld(120, { locked: [7, 33] })
    // The list on screen, then its neighbours: the seven filters and the two other sorts, one page each.
    await waitFor(() => expect(listsAsked(lists)).toHaveLength(10))
    expect(listsAsked(lists)).toEqual(
      [
        'all/name',
        ...['enrolled', 'required', 'off', 'at-risk', 'locked', 'disabled', 'invited'].map(
          (f) => `${f}/name`,
        ),
        'all/email',
        'all/last-login',
      ].sort(),
    )
    expect(lists.every((l) => l.search === undefined && l.after === undefined)).toBe(true)

    hold()
    const chips = screen.getByRole('group', { name: 'Filter' })
    await user.click(within(chips).getByRole('button', { name: 'Locked' }))
    // No answer can come: the two locked users are the page's own, fetched ahead.
    expect(footer()).toHaveTextContent(/^2 users$/)
    expect(bodyRows().map((r) => r.textContent)).toEqual([
      expect.stringMatching(/User 007.*Locked until/),
      expect.stringMatching(/User 033.*Locked until/),
    ])
    release()
  })

  it('asks for a search as it is typed and shows its rows once the typing pauses', async () => {
    const { user, lists } = await openHeld(120)
    await waitFor(() => expect(listsAsked(lists)).toHaveLength(10))
    await user.type(screen.getByLabelText('Search'), 'user05')
    // Each keystroke has asked main already; the rows still show everyone until the pause.
    expect(lists.filter((l) => l.search !== undefined).map((l) => l.search)).toEqual([
      'u',
      'us',
      'use',
      'user',
      'user0',
      'user05',
    ])
    expect(footer()).toHaveTextContent('100 users loaded')
    await waitFor(() => expect(footer()).toHaveTextContent(/^10 users$/))
    // A search's neighbours are not fetched ahead (each is a scan of the matching names in main).
    await new Promise((r) => setTimeout(r, 100))
    expect(lists.filter((l) => l.search !== undefined)).toHaveLength(6)
  })

  it("opens a user's page with what their row already says while the rest is on its way", async () => {
    const { user, hold, release } = await openHeld(20)
    hold()
    await user.click(within(table()).getByRole('button', { name: 'User 004' }))
    expect(screen.getByRole('heading', { level: 1, name: 'User 004' })).toBeVisible()
    const account = screen.getByRole('region', { name: 'Account' })
    expect(within(account).getByText('user004@example.com')).toBeVisible()
    expect(within(account).getByText('Member')).toBeVisible()
    expect(screen.getByText('Loading…')).toBeVisible()
    expect(screen.queryByRole('region', { name: 'Two-factor authentication' })).not.toBeInTheDocument()
    release()
    expect(await screen.findByRole('region', { name: 'Two-factor authentication' })).toBeVisible()
    expect(screen.queryByText('Loading…')).not.toBeInTheDocument()
  })
})

describe('UsersPage on a team database', () => {
  it('shows a user another console added, as soon as main hears of it, without polling', async () => {
    const real = await signedInOwner()
    // Main hears other consoles on a team database (PostgreSQL's LISTEN/NOTIFY feeds this feed).
    real.backend.changes.live = true
    const user = userEvent.setup()
    renderWithApi(real.api)
    await user.click(await screen.findByRole('button', { name: 'Users' }))
    await screen.findByRole('table', { name: 'Users' })
    expect(within(table()).queryByText('Nora Newcomer')).not.toBeInTheDocument()
    // Another console adds Nora: the row reaches the database, and the notice reaches this console.
    await real.backend
      .services()
      .users.create(
        { email: 'nora@example.com', name: 'Nora Newcomer', role: 'member' },
        await ownerActor(real.backend),
        {
          via: 'desktop',
          machine: 'console-2',
        },
      )
    expect(within(table()).queryByText('Nora Newcomer')).not.toBeInTheDocument()
    real.backend.changes.record('users')
    expect(await within(table()).findByText('Nora Newcomer')).toBeVisible()
  })
})
