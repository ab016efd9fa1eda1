import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { addUser } from '../../../../../test/fixtures/backend'
import { closeAll, OWNER, OWNER_USER, renderWithApi, signedInOwner, type RealApi } from '../../test/harness'
import { EMAILED_CODE, connectMailbox } from '../../test/email'

afterEach(closeAll)

const MIA = {
  email: 'mia@example.com',
  name: 'Mia Member',
  role: 'member',
  password: 'a member passphrase 4242',
} as const
const NEW_PASSWORD = 'copper-meadow-signal-77'

/** The console open on one user's page, through the Users list as an admin goes there. */
async function openUser(real: RealApi, email: string, name: string) {
  const user = userEvent.setup()
  renderWithApi(real.api)
  await user.click(await screen.findByRole('button', { name: 'Users' }))
  await user.type(screen.getByLabelText('Search'), email)
  const table = await screen.findByRole('table', { name: 'Users' })
  await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(2))
  await user.click(within(table).getAllByRole('row')[1]!)
  expect(await screen.findByRole('heading', { name })).toBeVisible()
  return user
}

const actions = () => screen.getByRole('group', { name: 'Actions' })

describe('UserPage: Reset password', () => {
  it('shows the reset code once where no email is sent: Copy, and Done only once it was given', async () => {
    const real = await signedInOwner()
    await addUser(real.backend, MIA)
    const user = await openUser(real, MIA.email, MIA.name)
    // jsdom has no clipboard: a fake one that keeps what was last written (set after userEvent's own).
    let held: string | null = null
    Object.defineProperty(navigator, 'clipboard', {
      value: { writeText: async (t: string) => void (held = t) },
      configurable: true,
    })

    await user.click(within(actions()).getByRole('button', { name: 'Reset password' }))
    let confirm = screen.getByRole('dialog', { name: 'Reset the password of Mia Member?' })
    expect(confirm).toHaveTextContent('A one-time reset code, valid for 30 minutes, goes to mia@example.com')
    expect(confirm).toHaveTextContent('their two-factor authentication stays as it is')
    await user.click(within(confirm).getByRole('button', { name: 'Cancel' }))
    expect(screen.queryByRole('dialog')).toBeNull()

    await user.click(within(actions()).getByRole('button', { name: 'Reset password' }))
    confirm = screen.getByRole('dialog', { name: 'Reset the password of Mia Member?' })
    await user.click(within(confirm).getByRole('button', { name: 'Reset password' }))
    const shown = await screen.findByRole('dialog', { name: 'Password reset code' })
    expect(shown).toHaveTextContent('It will not be shown again.')
    const code = within(shown).getByLabelText('Reset code').textContent!
    expect(code).toMatch(EMAILED_CODE)

    // Escape does not lose it by accident.
    await user.keyboard('{Escape}')
    expect(screen.getByRole('dialog', { name: 'Password reset code' })).toBeVisible()
    await user.click(within(shown).getByRole('button', { name: 'Copy' }))
    expect(held).toBe(code)
    expect(within(shown).getByText('Copied. The clipboard will be cleared in 30 seconds.')).toBeVisible()
    const done = within(shown).getByRole('button', { name: 'Done, hide the code' })
    expect(done).toBeDisabled()
    await user.click(within(shown).getByRole('checkbox', { name: 'I have given the code to them' }))
    await user.click(done)
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(document.body.textContent).not.toContain(code)
    expect(
      await within(screen.getByRole('region', { name: 'Recent events' })).findByText(
        /issued a password reset code for Mia Member, shown once/,
      ),
    ).toBeVisible()

    // The code on screen is the one main stored: Mia changes her password with it.
    const { backend } = real
    const done2 = await backend
      .services()
      .passwords.resetWithCode(
        { email: MIA.email, code, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD },
        backend.client,
      )
    expect(done2).toEqual({ email: MIA.email, secondFactorRequired: false })
  })

  it('emails the reset code when Settings → Email has an SMTP server: the admin never sees it', async () => {
    const real = await signedInOwner()
    const mailbox = await connectMailbox(real)
    await addUser(real.backend, MIA)
    const user = await openUser(real, MIA.email, MIA.name)

    await user.click(within(actions()).getByRole('button', { name: 'Reset password' }))
    await user.click(
      within(screen.getByRole('dialog', { name: 'Reset the password of Mia Member?' })).getByRole('button', {
        name: 'Reset password',
      }),
    )
    const sent = await screen.findByRole('dialog', { name: 'Reset code sent' })
    expect(within(sent).getByRole('status')).toHaveTextContent('A reset code was emailed to mia@example.com.')
    const code = await mailbox.code(MIA.email, 'Reset your password')
    const mail = await mailbox.received(MIA.email, 'Reset your password')
    expect(mail.text).toContain(`${OWNER.name} started a password reset for your account.`)
    expect(document.body.textContent).not.toContain(code)
    await user.click(within(sent).getByRole('button', { name: 'Done' }))
    expect(screen.queryByRole('dialog')).toBeNull()
  })

  it('turns a reset of an administrator into a recovery request two approvers must approve', async () => {
    const real = await signedInOwner()
    await addUser(real.backend, {
      email: 'adam@example.com',
      name: 'Adam Admin',
      role: 'admin',
      password: 'an admin passphrase 4242',
    })
    const user = await openUser(real, 'adam@example.com', 'Adam Admin')
    await user.click(within(actions()).getByRole('button', { name: 'Reset password' }))
    const confirm = screen.getByRole('dialog', { name: 'Reset the password of Adam Admin?' })
    expect(confirm).toHaveTextContent('one person cannot reset their password')
    await user.click(within(confirm).getByRole('button', { name: 'Reset password' }))
    const filed = await screen.findByRole('dialog', { name: 'Recovery request #1 filed' })
    expect(filed).toHaveTextContent('Two approvers must approve: recovery request #1.')
    expect(filed).toHaveTextContent('Their current password keeps working until then.')
    await user.click(within(filed).getByRole('button', { name: 'Open request #1' }))
    expect(await screen.findByRole('heading', { name: 'Request #1: Adam Admin' })).toBeVisible()
    expect(screen.getByRole('region', { name: 'Their request' })).toHaveTextContent(
      'To resetPassword: a password reset code',
    )
    expect(screen.getByRole('button', { name: 'Issue password reset code' })).toBeDisabled()
    // Still signs in with the current password.
    expect(
      (
        await real.backend
          .services()
          .auth.login('adam@example.com', 'an admin passphrase 4242', real.backend.client)
      ).user.email,
    ).toBe('adam@example.com')
  })

  it('is not offered on one’s own page, nor to a person who has not activated the account', async () => {
    const real = await signedInOwner()
    await real.backend
      .services()
      .users.create(
        { email: 'ivy@example.com', name: 'Ivy Invited', role: 'member' },
        OWNER_USER,
        real.backend.client,
      )
    const user = await openUser(real, OWNER.email, OWNER.name)
    expect(within(actions()).queryByRole('button', { name: 'Reset password' })).toBeNull()
    await user.click(screen.getByRole('button', { name: '← Users' }))
    await user.clear(screen.getByLabelText('Search'))
    await user.type(screen.getByLabelText('Search'), 'ivy@')
    await user.click(await screen.findByRole('button', { name: 'Ivy Invited' }))
    expect(await screen.findByRole('heading', { name: 'Ivy Invited' })).toBeVisible()
    expect(within(actions()).getByRole('button', { name: 'Resend invitation' })).toBeVisible()
    expect(within(actions()).queryByRole('button', { name: 'Reset password' })).toBeNull()
  })
})
