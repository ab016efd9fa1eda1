import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { closeAll, OWNER_USER, renderWithApi, signedInOwner } from '../../test/harness'
import { buildApiClient } from '../../../../shared/client'
import { addUser, gateFor, gateTransport } from '../../../../../test/fixtures/backend'
import { SettingsPage } from './SettingsPage'

afterEach(closeAll)

describe('SettingsPage', () => {
  it('refuses an out-of-range idle time and saves a valid policy', async () => {
    const { api, backend } = await signedInOwner()
    const user = userEvent.setup()
    renderWithApi(api, <SettingsPage user={OWNER_USER} />)
    const idle = await screen.findByLabelText('Lock the console after this many idle minutes')
    expect(idle).toHaveValue(5)

    await user.clear(idle)
    await user.type(idle, '0')
    await user.click(screen.getByRole('button', { name: 'Save settings' }))
    expect(await screen.findByText(/Too small|greater than or equal to 1/i)).toBeVisible()
    expect((await backend.services().policy.get()).idleLockMinutes).toBe(5)

    await user.clear(idle)
    await user.type(idle, '12')
    await user.clear(screen.getByLabelText('Failed sign-ins before the account is locked'))
    await user.type(screen.getByLabelText('Failed sign-ins before the account is locked'), '8')
    await user.click(screen.getByRole('button', { name: 'Save settings' }))
    expect(await screen.findByText('Settings saved.')).toBeVisible()
    expect(await backend.services().policy.get()).toMatchObject({
      idleLockMinutes: 12,
      failuresBeforeLock: 8,
    })
  })

  it("sets the language of people's emails and SMS for those who have not chosen one", async () => {
    const { api, backend } = await signedInOwner()
    const user = userEvent.setup()
    renderWithApi(api, <SettingsPage user={OWNER_USER} />)
    const language = await screen.findByRole('combobox', { name: 'Language of emails and SMS' })
    expect(language).toHaveValue('en')
    expect(language).toHaveAccessibleDescription(/have not chosen a language in My profile/)
    await user.selectOptions(language, 'Español')
    await user.click(screen.getByRole('button', { name: 'Save settings' }))
    expect(await screen.findByText('Settings saved.')).toBeVisible()
    expect((await backend.services().policy.get()).defaultLanguage).toBe('es')
  })

  it('saves the 2FA policy for new users and the grace period', async () => {
    const { api, backend } = await signedInOwner()
    const user = userEvent.setup()
    renderWithApi(api, <SettingsPage user={OWNER_USER} />)
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
    expect(await backend.services().policy.get()).toMatchObject({
      requireTwoFactorForNewUsers: false,
      gracePeriodDays: 14,
    })
  })

  it('saves the support recovery cooling-off and request expiry within the shared limits', async () => {
    const { api, backend } = await signedInOwner()
    const user = userEvent.setup()
    renderWithApi(api, <SettingsPage user={OWNER_USER} />)
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
    expect(await backend.services().policy.get()).toMatchObject({
      recoveryCoolingOffMinutes: 60,
      recoveryRequestHours: 72,
    })

    await user.clear(coolingOff)
    await user.type(coolingOff, '0')
    await user.clear(expiry)
    await user.type(expiry, '48')
    await user.click(screen.getByRole('button', { name: 'Save settings' }))
    expect(await screen.findByText('Settings saved.')).toBeVisible()
    expect(await backend.services().policy.get()).toMatchObject({
      recoveryCoolingOffMinutes: 0,
      recoveryRequestHours: 48,
    })
  })
})

describe('SettingsPage as an admin', () => {
  it('shows the settings that protect everyone read-only, and lets the admin save the others', async () => {
    const real = await signedInOwner()
    await addUser(real.backend, {
      email: 'adam@example.com',
      name: 'Adam Admin',
      role: 'admin',
      password: 'an admin passphrase 4242',
    })
    const adam = buildApiClient(gateTransport(gateFor(real.backend), 'adam-window'))
    expect(
      (await adam.auth.login({ email: 'adam@example.com', password: 'an admin passphrase 4242' })).ok,
    ).toBe(true)
    const user = userEvent.setup()
    const admin = { id: 2, email: 'adam@example.com', name: 'Adam Admin', role: 'admin' } as const
    renderWithApi(adam, <SettingsPage user={admin} />)
    const idle = await screen.findByLabelText('Lock the console after this many idle minutes')
    expect(idle).toHaveAttribute('readonly')
    expect(idle).toHaveAccessibleDescription(/Only an owner can change this/)
    for (const label of [
      'Failed sign-ins before the account is locked',
      'Cooling-off after approval (minutes)',
      'Sign everyone out after this many hours, however active',
    ])
      expect(screen.getByLabelText(label), label).toHaveAttribute('readonly')
    const grace = screen.getByLabelText('Grace period (days)')
    expect(grace).not.toHaveAttribute('readonly')
    await user.clear(grace)
    await user.type(grace, '3')
    await user.click(screen.getByRole('button', { name: 'Save settings' }))
    expect(await screen.findByText('Settings saved.')).toBeVisible()
    expect(await real.backend.services().policy.get()).toMatchObject({
      gracePeriodDays: 3,
      idleLockMinutes: 5,
    })

    await user.click(screen.getByRole('tab', { name: 'SMS' }))
    expect(await screen.findByText(/Only an owner can change where SMS go/)).toBeVisible()
    expect(screen.queryByRole('button', { name: 'Save SMS settings' })).toBeNull()
    expect(screen.queryByRole('button', { name: 'Send a test message' })).toBeNull()
  })
})
