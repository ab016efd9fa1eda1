import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { closeAll, OWNER, realApi, renderWithApi, setUpOwner } from '../../test/harness'
import { ACCOUNT_NAME, connectMailbox, type Mailbox } from '../../test/email'
import { ownerWithTwoFactor } from '../../test/two-factor'
import { value } from '../../../../../test/fixtures/results'

afterEach(closeAll)

const NEW_PASSWORD = 'copper-meadow-signal-77'
const RESET_SUBJECT = 'Reset your password'

/** The owner set up and signed out, email through a local SMTP server; the window shows sign-in. */
async function signedOut(options: { email: boolean }) {
  const real = await realApi()
  await setUpOwner(real)
  const mailbox = options.email ? await connectMailbox(real) : undefined
  const user = userEvent.setup()
  renderWithApi(real.api)
  await user.click(await screen.findByRole('button', { name: 'Forgot password?' }))
  expect(screen.getByRole('heading', { name: 'Forgot your password?' })).toBeVisible()
  return { ...real, user, mailbox }
}

async function askForCode(user: ReturnType<typeof userEvent.setup>, email: string) {
  await user.type(screen.getByLabelText('Email'), email)
  await user.click(screen.getByRole('button', { name: 'Send a reset code' }))
}

async function fillReset(
  user: ReturnType<typeof userEvent.setup>,
  values: { email?: string; code: string; password?: string; again?: string },
) {
  for (const label of ['Reset code', 'New password', 'New password again'])
    await user.clear(screen.getByLabelText(label))
  if (values.email !== undefined) {
    await user.clear(screen.getByLabelText('Email'))
    await user.type(screen.getByLabelText('Email'), values.email)
  }
  await user.type(screen.getByLabelText('Reset code'), values.code)
  await user.type(screen.getByLabelText('New password'), values.password ?? NEW_PASSWORD)
  await user.type(
    screen.getByLabelText('New password again'),
    values.again ?? values.password ?? NEW_PASSWORD,
  )
  await user.click(screen.getByRole('button', { name: 'Change password' }))
}

describe('Forgot password?', () => {
  it('sends a reset code by email; the code and a new password twice change the password', async () => {
    const { user, backend, mailbox } = await signedOut({ email: true })
    await askForCode(user, OWNER.email)
    const answer = await screen.findByText(/a reset code is on its way to it/)
    expect(answer).toHaveTextContent(`If an account uses ${OWNER.email}`)
    const code = await mailbox!.code(OWNER.email, RESET_SUBJECT)
    const mail = await mailbox!.received(OWNER.email, RESET_SUBJECT)
    expect(mail.subject).toBe(`${RESET_SUBJECT} — ${ACCOUNT_NAME}`)
    expect(document.body.textContent).not.toContain(code)

    await user.click(screen.getByRole('button', { name: 'I have a reset code' }))
    expect(screen.getByRole('heading', { name: 'Reset your password' })).toBeVisible()
    // The email typed on the previous screen is carried over.
    expect(screen.getByLabelText('Email')).toHaveValue(OWNER.email)

    await fillReset(user, { code: 'ABCDE-FGHIJ-KLMNO-PQRST-UVWXY-Z' })
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'This reset code is not correct, or it has expired or was already used.',
    )
    expect(screen.getByLabelText('New password')).toHaveValue('')

    await fillReset(user, { code, again: 'not-the-same-password-at-all' })
    expect(await screen.findByText('The two new passwords are not the same')).toBeVisible()

    await fillReset(user, { code: 'short' })
    expect(await screen.findByText('Enter the reset code from the email')).toBeVisible()

    // The account has no second factor: the password alone must be longer.
    await fillReset(user, { code, password: 'twelve-chars' })
    expect(await screen.findByText(/Use at least 15 characters/)).toBeVisible()
    expect(screen.getByLabelText('New password')).toHaveAttribute('aria-invalid', 'true')

    await fillReset(user, { code })
    expect(await screen.findByRole('heading', { name: 'Password changed' })).toBeVisible()
    expect(screen.getByText('Your password was changed. Sign in with it.')).toBeVisible()
    expect(screen.queryByText(/authenticator app code/)).toBeNull()
    const told = await mailbox!.received(OWNER.email, 'Your password was reset')
    expect(told.text).not.toContain(code)

    await user.click(screen.getByRole('button', { name: 'Back to sign in' }))
    expect(screen.getByRole('heading', { name: 'Sign in to Tessera' })).toBeVisible()
    expect(screen.getByLabelText('Email')).toHaveValue(OWNER.email)
    await user.type(screen.getByLabelText('Password'), OWNER.password)
    await user.click(screen.getByRole('button', { name: 'Sign in' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('The email or password is not correct.')
    await user.type(screen.getByLabelText('Password'), NEW_PASSWORD)
    await user.click(screen.getByRole('button', { name: 'Sign in' }))
    expect(await screen.findByRole('heading', { name: `Welcome, ${OWNER.name}` })).toBeVisible()

    // The code worked once.
    await expect(
      backend.services().passwords.resetWithCode(
        {
          email: OWNER.email,
          code,
          newPassword: 'another-long-password-88',
          confirmPassword: 'another-long-password-88',
        },
        backend.client,
      ),
    ).rejects.toThrow(/not correct, or it has expired or was already used/)
  })

  it('answers the same for an address without an account, and sends nothing', async () => {
    const { user, mailbox } = await signedOut({ email: true })
    await askForCode(user, 'nobody@example.com')
    expect(await screen.findByText(/a reset code is on its way to it/)).toHaveTextContent(
      'If an account uses nobody@example.com',
    )
    expect(screen.getByRole('button', { name: 'I have a reset code' })).toBeVisible()
    await new Promise((r) => setTimeout(r, 200))
    expect(mailbox!.fake.messages.filter((m) => m.envelope.to.includes('nobody@example.com'))).toHaveLength(0)
  })

  it('says to ask an administrator when this Tessera sends no email', async () => {
    const { user } = await signedOut({ email: false })
    await user.click(screen.getByRole('button', { name: 'Send a reset code' }))
    expect(await screen.findByText('Enter an email address')).toBeVisible()
    await askForCode(user, OWNER.email)
    expect(await screen.findByText(/This Tessera does not send email yet/)).toHaveTextContent(
      'Ask an administrator to reset your password.',
    )
    expect(screen.getByText(/An administrator can reset it from your user page/)).toBeVisible()
    // A code from the administrator goes in the same form.
    await user.click(screen.getByRole('button', { name: 'I have a reset code' }))
    expect(screen.getByRole('heading', { name: 'Reset your password' })).toBeVisible()
    await user.click(screen.getByRole('button', { name: 'Back to sign in' }))
    expect(screen.getByRole('heading', { name: 'Sign in to Tessera' })).toBeVisible()
  })
})

describe('Forgot password? with 2FA on', () => {
  it('says the authenticator app code is still needed, and signing in asks for it', async () => {
    const real = await ownerWithTwoFactor()
    const mailbox: Mailbox = await connectMailbox(real)
    value(await real.api.password.forgot({ email: OWNER.email }))
    const code = await mailbox.code(OWNER.email, RESET_SUBJECT)
    const user = userEvent.setup()
    renderWithApi(real.api)
    await user.click(await screen.findByRole('button', { name: 'Forgot password?' }))
    await user.click(screen.getByRole('button', { name: 'I have a reset code' }))
    expect(screen.getByLabelText('Email')).toHaveValue('')
    await fillReset(user, { email: OWNER.email, code })
    expect(await screen.findByRole('heading', { name: 'Password changed' })).toBeVisible()
    expect(screen.getByRole('status')).toHaveTextContent(
      'You will still need your authenticator app code (or a backup code) after the password.',
    )
    await user.click(screen.getByRole('button', { name: 'Back to sign in' }))
    await user.type(screen.getByLabelText('Password'), NEW_PASSWORD)
    await user.click(screen.getByRole('button', { name: 'Sign in' }))
    expect(await screen.findByRole('heading', { name: 'Two-factor authentication' })).toBeVisible()
    await user.type(screen.getByLabelText('6-digit code'), await real.appCode())
    await user.click(screen.getByRole('button', { name: 'Verify' }))
    expect(await screen.findByRole('heading', { name: `Welcome, ${OWNER.name}` })).toBeVisible()
  })
})
