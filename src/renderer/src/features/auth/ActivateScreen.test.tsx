import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { closeAll, OWNER, renderWithApi } from '../../test/harness'
import { ownerOnManualClock } from '../../test/two-factor'

afterEach(closeAll)

const NEW_PASSWORD = 'orchid-lantern-harbour-9'

/** Mia invited (2FA required by default policy), the owner signed out: the window shows sign-in. */
async function invited() {
  const real = await ownerOnManualClock()
  const owner = { id: 1, email: OWNER.email, name: OWNER.name, role: 'owner' as const }
  const created = await real.backend
    .services()
    .users.create(
      { email: 'mia@example.com', name: 'Mia Member', role: 'member' },
      owner,
      real.backend.client,
    )
  // Without an SMTP server (the local outbox) the code comes back, to be shown to the admin.
  const code = created.code
  if (code === null) throw new Error('The invitation went by email: no code to type')
  const invitation = { ...created, code }
  await real.api.auth.logout()
  const user = userEvent.setup()
  renderWithApi(real.api)
  await user.click(await screen.findByRole('button', { name: 'Activate an account' }))
  expect(screen.getByRole('heading', { name: 'Activate your account' })).toBeVisible()
  const fill = async (code: string, password = NEW_PASSWORD, confirm = password) => {
    for (const label of ['Email', 'Invitation code', 'New password', 'Confirm new password'])
      await user.clear(screen.getByLabelText(label))
    await user.type(screen.getByLabelText('Email'), 'mia@example.com')
    await user.type(screen.getByLabelText('Invitation code'), code)
    await user.type(screen.getByLabelText('New password'), password)
    await user.type(screen.getByLabelText('Confirm new password'), confirm)
    await user.click(screen.getByRole('button', { name: 'Activate account' }))
  }
  return { ...real, user, invitation, fill }
}

describe('ActivateScreen', () => {
  it('refuses a wrong code, a mismatched confirmation and a weak password, then activates into enrollment', async () => {
    const { fill, invitation, user } = await invited()
    await fill('ABCDE-FGHIJ-KLMNO-PQRST-UVWXY-Z')
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The email or invitation code is not correct, or the invitation was already used.',
    )
    expect(screen.getByLabelText('New password')).toHaveValue('')

    await fill(invitation.code, NEW_PASSWORD, 'something-else-entirely')
    expect(await screen.findByText('The passwords do not match')).toBeVisible()

    await fill(invitation.code, 'short')
    expect(await screen.findByText('Use at least 12 characters')).toBeVisible()

    await fill(invitation.code)
    expect(await screen.findByRole('heading', { name: 'Set up two-factor authentication' })).toBeVisible()
    expect(screen.getByText('Your administrator requires two-factor authentication')).toBeVisible()

    // The code is spent: back at the sign-in screen, using it again is refused.
    await user.click(screen.getByRole('button', { name: 'Sign out' }))
    await user.click(await screen.findByRole('button', { name: 'Activate an account' }))
    await fill(invitation.code)
    expect(await screen.findByRole('alert')).toHaveTextContent('the invitation was already used')
  })

  it('says when the invitation has expired', async () => {
    const { fill, invitation, clock } = await invited()
    clock.advance(8 * 24 * 60 * 60_000)
    await fill(invitation.code)
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'This invitation has expired. Ask your administrator to send a new one.',
    )
  })

  it('goes back to the sign-in form', async () => {
    const { user } = await invited()
    await user.click(screen.getByRole('button', { name: 'Back to sign in' }))
    expect(await screen.findByRole('heading', { name: 'Sign in to Tessera' })).toBeVisible()
  })
})
