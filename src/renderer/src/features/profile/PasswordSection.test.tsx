import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { randomUUID } from 'node:crypto'
import { buildApiClient } from '../../../../shared/client'
import { gateFor, gateTransport } from '../../../../../test/fixtures/backend'
import { value } from '../../../../../test/fixtures/results'
import { closeAll, OWNER, renderWithApi, signedInOwner, type RealApi } from '../../test/harness'
import { ownerWithTwoFactor, signInPasswordOnly } from '../../test/two-factor'

afterEach(closeAll)

const NEW_PASSWORD = 'copper-meadow-signal-77'

/** Another window (or computer) of the same person, signed in with the password. */
async function otherWindow(real: RealApi) {
  const other = buildApiClient(gateTransport(gateFor(real.backend), `other-${randomUUID()}`))
  value(await other.auth.login({ email: OWNER.email, password: OWNER.password }))
  return other
}

async function openDialog(user: ReturnType<typeof userEvent.setup>) {
  await user.click(await screen.findByRole('button', { name: 'My profile' }))
  const panel = await screen.findByRole('region', { name: 'Password' })
  const button = within(panel).getByRole('button', { name: 'Change password' })
  await vi.waitFor(() => expect(button).toBeEnabled())
  await user.click(button)
  return { panel, dialog: screen.getByRole('dialog', { name: 'Change password' }) }
}

async function fill(
  user: ReturnType<typeof userEvent.setup>,
  dialog: HTMLElement,
  v: { current?: string; factor?: string; password?: string; again?: string },
) {
  const field = (label: string) => within(dialog).getByLabelText(label)
  for (const label of ['Current password', 'New password', 'New password again'])
    await user.clear(field(label))
  await user.type(field('Current password'), v.current ?? OWNER.password)
  if (v.factor !== undefined) {
    const factor =
      within(dialog).queryByLabelText('Backup code') ?? within(dialog).getByLabelText(/6-digit code/)
    await user.clear(factor)
    await user.type(factor, v.factor)
  }
  await user.type(field('New password'), v.password ?? NEW_PASSWORD)
  await user.type(field('New password again'), v.again ?? v.password ?? NEW_PASSWORD)
  await user.click(within(dialog).getByRole('button', { name: 'Change password' }))
}

describe('My profile: password', () => {
  it('changes the password with the current one, and signs out the other sessions', async () => {
    const real = await signedInOwner()
    const other = await otherWindow(real)
    const user = userEvent.setup()
    renderWithApi(real.api)
    const { panel, dialog } = await openDialog(user)
    // No 2FA: no code is asked.
    expect(within(dialog).queryByLabelText(/6-digit code/)).toBeNull()
    expect(within(dialog).queryByRole('button', { name: 'Use a backup code instead' })).toBeNull()

    await fill(user, dialog, { current: 'not-my-password' })
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('The password is not correct.')
    expect(within(dialog).getByLabelText('Current password')).toHaveValue('')

    await fill(user, dialog, { again: 'something-else-entirely-1' })
    expect(await within(dialog).findByText('The two new passwords are not the same')).toBeVisible()

    // The password alone protects this account: it must be longer (main's rule, shown at the field).
    await fill(user, dialog, { password: 'twelve-chars' })
    expect(await within(dialog).findByText(/Use at least 15 characters/)).toBeVisible()
    expect(within(dialog).getByLabelText('New password')).toHaveAttribute('aria-invalid', 'true')

    await fill(user, dialog, { password: OWNER.password })
    expect(await within(dialog).findByText('Choose a password different from the current one.')).toBeVisible()

    await fill(user, dialog, {})
    expect(
      await within(panel).findByText('Your password was changed. Your other sessions were signed out.'),
    ).toBeVisible()
    expect(screen.queryByRole('dialog')).toBeNull()

    // This window goes on; the other one is signed out; only the new password signs in.
    expect(value(await real.api.session.state()).phase).toBe('signed-in')
    expect(value(await other.session.state()).phase).toBe('signed-out')
    expect((await other.auth.login({ email: OWNER.email, password: OWNER.password })).ok).toBe(false)
    expect((await other.auth.login({ email: OWNER.email, password: NEW_PASSWORD })).ok).toBe(true)
  })

  it('asks for the app code when 2FA is on, and takes a backup code instead', async () => {
    const real = await ownerWithTwoFactor()
    await signInPasswordOnly(real)
    value(await real.api.auth.verifySecondFactor({ code: await real.appCode() }))
    real.clock.advance(30_000)
    const user = userEvent.setup()
    renderWithApi(real.api)
    const { panel, dialog } = await openDialog(user)
    expect(within(dialog).getByLabelText('6-digit code from your authenticator app')).toBeVisible()

    await fill(user, dialog, {})
    expect(
      await within(dialog).findByText('Enter the 6-digit code from your authenticator app'),
    ).toBeVisible()

    await fill(user, dialog, { factor: '000000' })
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(/not correct/)

    await user.click(within(dialog).getByRole('button', { name: 'Use a backup code instead' }))
    await fill(user, dialog, { factor: real.backupCodes[0]! })
    expect(
      await within(panel).findByText('Your password was changed. Your other sessions were signed out.'),
    ).toBeVisible()
    const twoFactor = screen.getByRole('region', { name: 'Two-factor authentication' })
    expect(await within(twoFactor).findByText('4/5 left')).toBeVisible()

    // The second factor stays: signing in with the new password still asks for it.
    const other = buildApiClient(gateTransport(gateFor(real.backend), 'another-computer'))
    value(await other.auth.login({ email: OWNER.email, password: NEW_PASSWORD }))
    expect(value(await other.session.state()).phase).toBe('second-factor')
  })
})
