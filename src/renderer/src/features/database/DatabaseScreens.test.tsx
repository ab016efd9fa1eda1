import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tempDir } from '../../../../../test/fixtures/temp'
import { closeAll, OWNER, PASSPHRASE, realApi, renderWithApi } from '../../test/harness'

afterEach(closeAll)

describe('Database screens', () => {
  it('asks for the passphrase of a passphrase-protected database and refuses a wrong one', async () => {
    const temp = tempDir('tessera-renderer-')
    const first = await realApi({ dir: temp.dir })
    await first.backend.setup({ ...OWNER, keyStore: 'passphrase', passphrase: PASSPHRASE })
    await first.backend.close()
    // The app starting again on the same file: the key must come from the passphrase.
    const { api, backend } = await realApi({ dir: temp.dir })
    expect(backend.phase).toBe('needs-db-passphrase')
    const user = userEvent.setup()
    renderWithApi(api)
    expect(await screen.findByRole('heading', { name: 'Open the database' })).toBeVisible()

    await user.type(screen.getByLabelText('Database passphrase'), 'the wrong passphrase')
    await user.click(screen.getByRole('button', { name: 'Open database' }))
    expect(await screen.findByRole('alert', {}, { timeout: 10_000 })).toHaveTextContent(/passphrase/i)
    expect(screen.getByLabelText('Database passphrase')).toHaveValue('')
    expect(backend.phase).toBe('needs-db-passphrase')

    await user.type(screen.getByLabelText('Database passphrase'), PASSPHRASE)
    await user.click(screen.getByRole('button', { name: 'Open database' }))
    expect(
      await screen.findByRole('heading', { name: 'Sign in to Tessera' }, { timeout: 10_000 }),
    ).toBeVisible()
    temp.cleanup()
  })

  it('shows why the database cannot be opened, and only offers to try again', async () => {
    const temp = tempDir('tessera-renderer-')
    writeFileSync(join(temp.dir, 'tessera.db'), 'this is not a database, just some text that is long enough')
    const { api, backend } = await realApi({ dir: temp.dir })
    expect(backend.phase).toBe('db-error')
    const user = userEvent.setup()
    renderWithApi(api)
    expect(await screen.findByRole('heading', { name: 'The database cannot be opened' })).toBeVisible()
    expect(screen.getByRole('alert')).toHaveTextContent(backend.error!.message)
    expect(screen.getByRole('alert')).toHaveTextContent(`Error code: ${backend.error!.reason}`)
    expect(screen.getAllByRole('button').map((b) => b.textContent)).toEqual(['Try again'])
    await user.click(screen.getByRole('button', { name: 'Try again' }))
    expect(await screen.findByRole('heading', { name: 'The database cannot be opened' })).toBeVisible()
    temp.cleanup()
  })
})
