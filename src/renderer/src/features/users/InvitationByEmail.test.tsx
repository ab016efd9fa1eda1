import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { closeAll, renderWithApi, signedInOwner } from '../../test/harness'
import { ACCOUNT_NAME, connectMailbox } from '../../test/email'

afterEach(closeAll)

const SUBJECT = 'Your invitation to Tessera'

describe('Invitations by email', () => {
  it('says where the invitation went and shows no code, when Settings → Email has an SMTP server', async () => {
    const real = await signedInOwner()
    const mailbox = await connectMailbox(real)
    const user = userEvent.setup()
    renderWithApi(real.api)
    await user.click(await screen.findByRole('button', { name: 'Users' }))
    await user.click(await screen.findByRole('button', { name: 'Add user' }))
    const dialog = screen.getByRole('dialog', { name: 'Add user' })
    await user.type(within(dialog).getByLabelText('Email'), 'mia@example.com')
    await user.type(within(dialog).getByLabelText('Name'), 'Mia Member')
    await user.click(within(dialog).getByRole('button', { name: 'Add user' }))

    const sent = await screen.findByRole('dialog', { name: 'Invitation sent' })
    expect(within(sent).getByRole('status')).toHaveTextContent('Invitation sent by email to mia@example.com.')
    expect(within(sent).queryByLabelText('Invitation code')).toBeNull()
    expect(within(sent).queryByRole('button', { name: 'Copy' })).toBeNull()
    expect(within(sent).getByText(/Valid until/)).toBeVisible()

    const mail = await mailbox.received('mia@example.com', SUBJECT)
    expect(mail.subject).toBe(`${SUBJECT} — ${ACCOUNT_NAME}`)
    const first = await mailbox.code('mia@example.com', SUBJECT)
    expect(document.body.textContent).not.toContain(first)
    await user.click(within(sent).getByRole('button', { name: 'Done' }))

    // A new invitation from the person's page goes the same way, and replaces the first code.
    await user.click(await screen.findByRole('button', { name: 'Mia Member' }))
    await user.click(await screen.findByRole('button', { name: 'Resend invitation' }))
    const confirm = screen.getByRole('dialog', { name: 'Send Mia Member a new invitation?' })
    expect(confirm).toHaveTextContent('it goes to mia@example.com by email')
    await user.click(within(confirm).getByRole('button', { name: 'Create new code' }))
    const again = await screen.findByRole('dialog', { name: 'Invitation sent' })
    expect(within(again).getByRole('status')).toHaveTextContent(
      'Invitation sent by email to mia@example.com.',
    )
    await vi.waitFor(() =>
      expect(mailbox.fake.messages.filter((m) => m.subject.startsWith(SUBJECT))).toHaveLength(2),
    )
    const second = await mailbox.code('mia@example.com', SUBJECT)
    expect(second).not.toBe(first)
    expect(document.body.textContent).not.toContain(second)

    const { backend } = real
    await expect(
      backend.services().users.activate('mia@example.com', first, 'orchid-lantern-harbour-9', backend.client),
    ).rejects.toThrow()
    const activated = await backend
      .services()
      .users.activate('mia@example.com', second, 'orchid-lantern-harbour-9', backend.client)
    expect(activated.user.email).toBe('mia@example.com')
  })
})
