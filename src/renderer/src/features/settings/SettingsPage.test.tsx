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

  it('saves the support recovery cooling-off and request expiry within the shared limits', async () => {
    const { api, backend } = await signedInOwner()
    const user = userEvent.setup()
    renderWithApi(api, <SettingsPage />)
    const coolingOff = await screen.findByLabelText('Cooling-off after approval (minutes)')
    const expiry = screen.getByLabelText('Requests expire after (hours)')
    expect(coolingOff).toHaveValue(60)
    expect(expiry).toHaveValue(72)

    await user.clear(coolingOff)
    await user.type(coolingOff, '-1')
    await user.clear(expiry)
    await user.type(expiry, '0')
    await user.click(screen.getByRole('button', { name: 'Save settings' }))
    expect(await screen.findAllByText(/Too small|greater than or equal to/i)).toHaveLength(2)
    expect(backend.services().policy.get()).toMatchObject({
      recoveryCoolingOffMinutes: 60,
      recoveryRequestHours: 72,
    })

    await user.clear(coolingOff)
    await user.type(coolingOff, '0')
    await user.clear(expiry)
    await user.type(expiry, '48')
    await user.click(screen.getByRole('button', { name: 'Save settings' }))
    expect(await screen.findByText('Settings saved.')).toBeVisible()
    expect(backend.services().policy.get()).toMatchObject({
      recoveryCoolingOffMinutes: 0,
      recoveryRequestHours: 48,
    })
  })
})
