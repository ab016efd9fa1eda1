import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { closeAll, OWNER, PASSPHRASE, realApi, renderWithApi } from '../../test/harness'

afterEach(closeAll)

async function ownerSignedOut() {
  const real = await realApi()
  await real.backend.setup({ ...OWNER, keyStore: 'passphrase', passphrase: PASSPHRASE })
  return real
}

async function signIn(user: ReturnType<typeof userEvent.setup>, email: string, password: string) {
  await user.clear(screen.getByLabelText('Email'))
  await user.type(screen.getByLabelText('Email'), email)
  await user.type(screen.getByLabelText('Password'), password)
  await user.click(screen.getByRole('button', { name: 'Sign in' }))
}

describe('LoginScreen', () => {
  it('shows the server’s message for a wrong password and clears the password field', async () => {
    const { api } = await ownerSignedOut()
    const user = userEvent.setup()
    renderWithApi(api)
    expect(await screen.findByRole('heading', { name: 'Sign in to Tessera' })).toBeVisible()
    await signIn(user, OWNER.email, 'not-the-password')
    expect(await screen.findByRole('alert')).toHaveTextContent('The email or password is not correct.')
    expect(screen.getByLabelText('Password')).toHaveValue('')
    expect(screen.getByLabelText('Email')).toHaveValue(OWNER.email)
  })

  it('shows field messages for input the contract refuses', async () => {
    const { api } = await ownerSignedOut()
    const user = userEvent.setup()
    renderWithApi(api)
    await screen.findByRole('heading', { name: 'Sign in to Tessera' })
    await signIn(user, 'not-an-email', 'whatever')
    expect(await screen.findByText('Enter a valid email address')).toBeVisible()
  })

  it('says when attempts are slowed down, with the seconds to wait', async () => {
    const { api, backend } = await ownerSignedOut()
    await backend.services().policy.update({ failuresBeforeDelay: 1 }, null)
    const user = userEvent.setup()
    renderWithApi(api)
    await screen.findByRole('heading', { name: 'Sign in to Tessera' })
    await signIn(user, OWNER.email, 'wrong-once')
    expect(await screen.findByRole('alert')).toHaveTextContent('The email or password is not correct.')
    await signIn(user, OWNER.email, 'wrong-twice')
    expect(await screen.findByText(/Too many failed attempts\. Try again in \d+ s\./)).toBeVisible()
  })

  it('says when the account is locked', async () => {
    const { api, backend } = await ownerSignedOut()
    await backend.services().policy.update({ failuresBeforeDelay: 20, failuresBeforeLock: 2 }, null)
    const user = userEvent.setup()
    renderWithApi(api)
    await screen.findByRole('heading', { name: 'Sign in to Tessera' })
    await signIn(user, OWNER.email, 'wrong-once')
    await screen.findByText('The email or password is not correct.')
    await signIn(user, OWNER.email, 'wrong-twice')
    expect(await screen.findByText(/This account is locked after too many failed attempts/)).toBeVisible()
  })

  it('opens the console with the right password', async () => {
    const { api } = await ownerSignedOut()
    const user = userEvent.setup()
    renderWithApi(api)
    await screen.findByRole('heading', { name: 'Sign in to Tessera' })
    await signIn(user, OWNER.email, OWNER.password)
    expect(await screen.findByRole('heading', { name: `Welcome, ${OWNER.name}` })).toBeVisible()
    expect(screen.getByText('Owner')).toBeVisible()
  })
})
