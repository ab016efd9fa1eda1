import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { closeAll, OWNER, renderWithApi } from '../../test/harness'
import { ownerWithTwoFactor, signInPasswordOnly } from '../../test/two-factor'

afterEach(closeAll)

describe('My profile: two-factor authentication', () => {
  it('makes a new set of backup codes, then turns 2FA off with one of them', async () => {
    const real = await ownerWithTwoFactor()
    await signInPasswordOnly(real)
    expect((await real.api.auth.verifySecondFactor({ code: await real.appCode() })).ok).toBe(true)
    real.clock.advance(30_000)
    const user = userEvent.setup()
    renderWithApi(real.api)
    await user.click(await screen.findByRole('button', { name: 'My profile' }))
    const panel = await screen.findByRole('region', { name: 'Two-factor authentication' })
    expect(await within(panel).findByText('5/5 left')).toBeVisible()

    await user.click(within(panel).getByRole('button', { name: 'New backup codes' }))
    let dialog = screen.getByRole('dialog', { name: 'Create new backup codes?' })
    await user.type(within(dialog).getByLabelText('Current password'), OWNER.password)
    await user.type(within(dialog).getByLabelText(/6-digit code/), await real.appCode())
    await user.click(within(dialog).getByRole('button', { name: 'Create new codes' }))
    dialog = await screen.findByRole('dialog', { name: 'Your new backup codes' })
    const fresh = within(dialog)
      .getAllByRole('listitem')
      .map((li) => li.textContent!)
    expect(fresh).toHaveLength(5)
    expect(fresh).not.toContain(real.backupCodes[0])
    await user.click(within(dialog).getByLabelText('I have saved these codes'))
    await user.click(within(dialog).getByRole('button', { name: 'Done' }))
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument()

    await user.click(within(panel).getByRole('button', { name: 'Turn off' }))
    dialog = screen.getByRole('dialog', { name: 'Turn off two-factor authentication?' })
    await user.click(within(dialog).getByRole('button', { name: 'Use a backup code instead' }))
    await user.type(within(dialog).getByLabelText('Current password'), OWNER.password)
    // The old set stopped working when the new one was made.
    await user.type(within(dialog).getByLabelText('Backup code'), real.backupCodes[0]!)
    await user.click(within(dialog).getByRole('button', { name: 'Turn off two-factor authentication' }))
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('not correct or was already used')

    await user.type(within(dialog).getByLabelText('Current password'), OWNER.password)
    await user.type(within(dialog).getByLabelText('Backup code'), fresh[0]!)
    await user.click(within(dialog).getByRole('button', { name: 'Turn off two-factor authentication' }))
    expect(await within(panel).findByText('Off')).toBeVisible()
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument()
    const types = (await real.backend.services().audit.list(undefined, 20)).events.map((e) => e.type)
    expect(types).toContain('2fa.backup_codes_regenerated')
    // The latest 2FA event (the notice email about it may come after).
    expect(types.find((t) => t.startsWith('2fa.'))).toBe('2fa.disabled')
  })
})
