import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { closeAll, OWNER, renderWithApi, signedInOwner } from '../../test/harness'

afterEach(closeAll)

describe('Lock and unlock', () => {
  it('locks on demand, refuses a wrong password, and unlocks with the right one', async () => {
    const { api } = await signedInOwner()
    const user = userEvent.setup()
    renderWithApi(api)
    await user.click(await screen.findByRole('button', { name: 'Lock now' }))
    expect(await screen.findByRole('heading', { name: 'Tessera is locked' })).toBeVisible()
    expect(screen.getByText(OWNER.name)).toBeVisible()

    await user.type(screen.getByLabelText('Password'), 'not-my-password')
    await user.click(screen.getByRole('button', { name: 'Unlock' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('The password is not correct.')
    expect(screen.getByLabelText('Password')).toHaveValue('')

    await user.type(screen.getByLabelText('Password'), OWNER.password)
    await user.click(screen.getByRole('button', { name: 'Unlock' }))
    expect(await screen.findByRole('heading', { name: `Welcome, ${OWNER.name}` })).toBeVisible()
  })

  it('signs out from the locked screen', async () => {
    const { api } = await signedInOwner()
    await api.auth.lock({ reason: 'manual' })
    const user = userEvent.setup()
    renderWithApi(api)
    await user.click(await screen.findByRole('button', { name: 'Sign out' }))
    expect(await screen.findByRole('heading', { name: 'Sign in to Tessera' })).toBeVisible()
    const state = await api.session.state()
    expect(state.ok && state.value.phase).toBe('signed-out')
  })
})
