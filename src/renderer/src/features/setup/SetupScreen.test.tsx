import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { existsSync } from 'node:fs'
import { closeAll, OWNER, PASSPHRASE, realApi, renderWithApi } from '../../test/harness'
import { SetupScreen } from './SetupScreen'

afterEach(closeAll)

async function fillOwner(user: ReturnType<typeof userEvent.setup>, password: string, confirm = password) {
  await user.type(screen.getByLabelText('Owner email'), OWNER.email)
  await user.type(screen.getByLabelText('Name'), OWNER.name)
  await user.type(screen.getByLabelText('Password'), password)
  await user.type(screen.getByLabelText('Confirm password'), confirm)
}

describe('SetupScreen', () => {
  it('offers the OS keychain by default when one is available', async () => {
    const { api } = await realApi()
    renderWithApi(api, <SetupScreen keychainAvailable />)
    expect(screen.getByRole('radio', { name: /OS keychain/ })).toBeChecked()
    expect(screen.getByRole('radio', { name: /OS keychain/ })).toBeEnabled()
    expect(screen.queryByLabelText('Database passphrase')).not.toBeInTheDocument()
  })

  it('refuses mismatched passwords before anything is created', async () => {
    const { api, backend } = await realApi()
    const user = userEvent.setup()
    renderWithApi(api, <SetupScreen keychainAvailable={false} />)
    await fillOwner(user, OWNER.password, 'something-else-entirely')
    await user.type(screen.getByLabelText('Database passphrase'), PASSPHRASE)
    await user.type(screen.getByLabelText('Confirm passphrase'), PASSPHRASE)
    await user.click(screen.getByRole('button', { name: /Create owner/ }))
    expect(await screen.findByText('The passwords do not match')).toBeInTheDocument()
    expect(backend.phase).toBe('needs-setup')
    expect(existsSync(backend.options.dbPath)).toBe(false)
  })

  it('shows the server’s reason for a common password at the password field', async () => {
    const { api, backend } = await realApi()
    const user = userEvent.setup()
    renderWithApi(api, <SetupScreen keychainAvailable={false} />)
    await fillOwner(user, '123qweasdzxc')
    await user.type(screen.getByLabelText('Database passphrase'), PASSPHRASE)
    await user.type(screen.getByLabelText('Confirm passphrase'), PASSPHRASE)
    await user.click(screen.getByRole('button', { name: /Create owner/ }))
    expect(
      await screen.findByText('This password is in a list of common passwords; choose another.'),
    ).toBeVisible()
    expect(screen.getByLabelText('Password')).toHaveAttribute('aria-invalid', 'true')
    expect(screen.getByLabelText('Password')).toHaveValue('')
    expect(backend.phase).toBe('needs-setup')
  })

  it('forces a passphrase when there is no keychain and creates the owner with it', async () => {
    // The real backend without a reachable keychain: its state says so, and the app draws from it.
    const { api, backend } = await realApi()
    const user = userEvent.setup()
    renderWithApi(api)
    expect(await screen.findByRole('heading', { name: 'Set up Tessera' })).toBeInTheDocument()
    expect(screen.getByRole('radio', { name: /OS keychain/ })).toBeDisabled()
    expect(screen.getByRole('radio', { name: /Passphrase/ })).toBeChecked()
    expect(screen.getByText('No keychain is available on this machine.')).toBeVisible()

    await fillOwner(user, OWNER.password)
    await user.type(screen.getByLabelText('Database passphrase'), 'too short')
    await user.click(screen.getByRole('button', { name: /Create owner/ }))
    expect(await screen.findByText('Use a passphrase of at least 12 characters')).toBeVisible()
    expect(backend.phase).toBe('needs-setup')

    await user.clear(screen.getByLabelText('Database passphrase'))
    await user.type(screen.getByLabelText('Database passphrase'), PASSPHRASE)
    await user.type(screen.getByLabelText('Confirm passphrase'), PASSPHRASE)
    await user.click(screen.getByRole('button', { name: /Create owner/ }))
    expect(
      await screen.findByRole('heading', { name: `Welcome, ${OWNER.name}` }, { timeout: 10_000 }),
    ).toBeVisible()
    expect((await backend.services().status()).keyStore).toBe('passphrase')
  })
})

describe('SetupScreen: a team database', () => {
  it('asks for the team database address and the team passphrase, and checks the address first', async () => {
    const { api, backend } = await realApi()
    const user = userEvent.setup()
    renderWithApi(api, <SetupScreen keychainAvailable />)
    await user.click(screen.getByRole('radio', { name: /Team database \(PostgreSQL\): create it/ }))
    expect(screen.queryByRole('radio', { name: /OS keychain/ })).not.toBeInTheDocument()
    await user.type(screen.getByLabelText('Team database address'), 'mysql://db.example.com/tessera')
    await fillOwner(user, OWNER.password)
    await user.type(screen.getByLabelText('Team passphrase'), PASSPHRASE)
    await user.type(screen.getByLabelText('Confirm passphrase'), PASSPHRASE)
    await user.click(screen.getByRole('button', { name: /Create owner/ }))
    expect(
      await screen.findByText('Give the team database as postgres://user:password@host:5432/database'),
    ).toBeVisible()
    expect(backend.phase).toBe('needs-setup')
  })

  it('says plainly when the team database to join cannot be reached, and stays on this screen', async () => {
    const { api, backend } = await realApi()
    const user = userEvent.setup()
    renderWithApi(api, <SetupScreen keychainAvailable />)
    await user.click(screen.getByRole('radio', { name: /Team database \(PostgreSQL\): join it/ }))
    await user.type(screen.getByLabelText('Team database address'), 'postgres://tessera@127.0.0.1:1/tessera')
    await user.type(screen.getByLabelText('Team passphrase'), PASSPHRASE)
    await user.click(screen.getByRole('button', { name: 'Join the team database' }))
    expect(
      await screen.findByText(
        'Cannot reach PostgreSQL at 127.0.0.1:1/tessera: the connection was refused. Is the server running, and is the address right?',
      ),
    ).toBeVisible()
    expect(screen.getByLabelText('Team passphrase')).toHaveValue('')
    expect(backend.phase).toBe('needs-setup')
  })
})
