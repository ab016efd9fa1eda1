import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { closeAll, renderWithApi, signedInOwner } from '../../test/harness'
import { SettingsPage } from './SettingsPage'

afterEach(closeAll)

describe('SettingsPage', () => {
  it('refuses an out-of-range idle time and saves a valid policy', async () => {
    const { api, backend } = await signedInOwner()
    const user = userEvent.setup()
    renderWithApi(api, <SettingsPage />)
    const idle = await screen.findByLabelText('Lock the console after this many idle minutes')
    expect(idle).toHaveValue(5)

    await user.clear(idle)
    await user.type(idle, '0')
    await user.click(screen.getByRole('button', { name: 'Save settings' }))
    expect(await screen.findByText(/Too small|greater than or equal to 1/i)).toBeVisible()
    expect(backend.services().policy.get().idleLockMinutes).toBe(5)

    await user.clear(idle)
    await user.type(idle, '12')
    await user.clear(screen.getByLabelText('Failed sign-ins before the account is locked'))
    await user.type(screen.getByLabelText('Failed sign-ins before the account is locked'), '8')
    await user.click(screen.getByRole('button', { name: 'Save settings' }))
    expect(await screen.findByText('Settings saved.')).toBeVisible()
    expect(backend.services().policy.get()).toMatchObject({ idleLockMinutes: 12, failuresBeforeLock: 8 })
  })

  it('saves the 2FA policy for new users and the grace period', async () => {
    const { api, backend } = await signedInOwner()
    const user = userEvent.setup()
    renderWithApi(api, <SettingsPage />)
    const requireNew = await screen.findByLabelText('Require 2FA for new users')
    expect(requireNew).toBeChecked()
    const grace = screen.getByLabelText('Grace period (days)')
    await user.click(requireNew)
    await user.clear(grace)
    await user.type(grace, '91')
    await user.click(screen.getByRole('button', { name: 'Save settings' }))
    expect(await screen.findByText(/Too big|less than or equal to 90/i)).toBeVisible()
    await user.clear(grace)
    await user.type(grace, '14')
    await user.click(screen.getByRole('button', { name: 'Save settings' }))
    expect(await screen.findByText('Settings saved.')).toBeVisible()
    expect(backend.services().policy.get()).toMatchObject({
      requireTwoFactorForNewUsers: false,
      gracePeriodDays: 14,
    })
  })
})
