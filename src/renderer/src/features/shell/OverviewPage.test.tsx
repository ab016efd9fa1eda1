import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { addUser } from '../../../../../test/fixtures/backend'
import { value } from '../../../../../test/fixtures/results'
import { ManualClock } from '../../../../main/adapters/clock'
import { totpAt } from '../../../../main/core/totp'
import { closeAll, realApi, renderWithApi, setUpOwner } from '../../test/harness'
import { lastSmsCode, PHONE } from '../../test/phone'
import { chooseOtherWay, paramsOf } from '../../test/two-factor'

afterEach(closeAll)

const MAX = { email: 'max@example.com', name: 'Max Member', password: 'member-password-42' }

/** A member signed in on a clock the test moves; with `twoFactor`, enrolled through the contract first. */
async function member(options: { twoFactor?: boolean } = {}) {
  const clock = new ManualClock(Date.UTC(2026, 10, 28, 9, 0, 0))
  const real = await realApi({ clock })
  await setUpOwner(real, { phones: true })
  await addUser(real.backend, { ...MAX, role: 'member' })
  value(await real.api.auth.login({ email: MAX.email, password: MAX.password }))
  let backupCodes: string[] = []
  let appCode = async (): Promise<string> => ''
  if (options.twoFactor) {
    const start = value(await real.api.twoFactor.startEnrollment({ password: MAX.password }))
    appCode = () => totpAt(paramsOf(start.manualKey), clock.now())
    backupCodes = value(await real.api.twoFactor.confirmEnrollment({ code: await appCode() })).backupCodes
    clock.advance(30_000)
  }
  return { ...real, clock, backupCodes, appCode }
}

const checklist = () => screen.findByRole('region', { name: 'Your account’s security' })
const items = (region: HTMLElement) => within(region).getAllByRole('listitem')

describe('A member’s home', () => {
  it('lists what protects the account, the first thing to do marked as the next step', async () => {
    const real = await member()
    renderWithApi(real.api)
    const heading = await screen.findByRole('heading', { name: 'Welcome, Max Member' })
    // Arriving in the console puts focus on the page's heading.
    expect(heading).toHaveFocus()
    const region = await checklist()
    const [twoFactor, codes, phone] = await within(region).findAllByRole('listitem')
    expect(twoFactor).toHaveTextContent('To do: Two-factor authentication on')
    expect(twoFactor).toHaveAttribute('aria-current', 'step')
    expect(within(twoFactor!).getByRole('button', { name: 'Turn on two-factor authentication' })).toHaveClass(
      'btn-primary',
    )
    expect(codes).toHaveTextContent('You get five when you turn on two-factor authentication.')
    expect(within(codes!).queryByRole('button')).toBeNull()
    expect(phone).toHaveTextContent('To do: Emergency phone verified')
    expect(phone).not.toHaveAttribute('aria-current')
    expect(within(phone!).getByRole('button', { name: 'Add emergency phone' })).toHaveClass('btn-secondary')
    expect(region).toHaveTextContent('Next step: Turn on two-factor authentication.')

    // The action runs right here: the wizard, then the checklist again with 2FA done.
    const user = userEvent.setup()
    await user.click(within(twoFactor!).getByRole('button', { name: 'Turn on two-factor authentication' }))
    await user.type(await screen.findByLabelText('Current password'), MAX.password)
    await user.click(screen.getByRole('button', { name: 'Continue' }))
    const key = (await screen.findByRole('group', { name: 'Manual key' })).textContent!
    await user.type(
      screen.getByLabelText('6-digit code from the app'),
      await totpAt(paramsOf(key), real.clock.now()),
    )
    await user.click(screen.getByRole('button', { name: 'Turn on two-factor authentication' }))
    await user.click(await screen.findByLabelText('I have saved these codes'))
    await user.click(screen.getByRole('button', { name: 'Done' }))
    await user.click(await screen.findByRole('button', { name: 'Skip for now' }))
    const after = await checklist()
    expect(await within(after).findByText('Backup codes: 5 of 5 left')).toBeVisible()
    expect(items(after)[0]).toHaveTextContent('Done: Two-factor authentication on')
    expect(items(after)[1]).toHaveTextContent('Done: Backup codes: 5 of 5 left')
    expect(items(after)[2]).toHaveAttribute('aria-current', 'step')
    expect(after).toHaveTextContent('Next step: Add emergency phone.')
  })

  it('after a backup-code sign-in leaves one code: "Create new codes" without the password again', async () => {
    const real = await member({ twoFactor: true })
    value(await real.api.auth.logout())
    // Three codes spent on earlier sign-ins; the fourth signs in now.
    for (const code of real.backupCodes.slice(0, 3)) {
      value(await real.api.auth.login({ email: MAX.email, password: MAX.password }))
      value(await real.api.auth.verifySecondFactor({ backupCode: code }))
      value(await real.api.auth.logout())
    }
    value(await real.api.auth.login({ email: MAX.email, password: MAX.password }))
    const user = userEvent.setup()
    renderWithApi(real.api)
    await chooseOtherWay(user, 'Use a backup code')
    await user.type(screen.getByLabelText('Backup code'), real.backupCodes[3]!)
    await user.click(screen.getByRole('button', { name: 'Verify' }))

    const warning = await screen.findByRole('alert')
    expect(warning).toHaveTextContent('You have 1 backup code left.')
    const region = await checklist()
    const codes = await within(region).findByText('Backup codes: 1 of 5 left')
    expect(codes.closest('li')).toHaveAttribute('aria-current', 'step')
    expect(region).toHaveTextContent('Next step: Create new codes.')

    await user.click(within(warning).getByRole('button', { name: 'Create new codes' }))
    const dialog = await screen.findByRole('dialog', { name: 'Create new backup codes?' })
    expect(within(dialog).queryByLabelText('Current password')).toBeNull()
    expect(within(dialog).getByText(/You have just signed in/)).toBeVisible()
    await user.click(within(dialog).getByRole('button', { name: 'Create new codes' }))
    const shown = await screen.findByRole('dialog', { name: 'Your new backup codes' })
    expect(within(shown).getAllByRole('listitem')).toHaveLength(5)
    await user.click(within(shown).getByLabelText('I have saved these codes'))
    await user.click(within(shown).getByRole('button', { name: 'Done' }))
    // The warning is gone and the checklist counts the new set.
    expect(await within(region).findByText('Backup codes: 5 of 5 left')).toBeVisible()
    expect(screen.queryByText(/backup code left/)).toBeNull()
  })

  it('asks the password and app code after all when the sign-in is no longer recent', async () => {
    const real = await member({ twoFactor: true })
    value(await real.api.auth.logout())
    for (const code of real.backupCodes.slice(0, 3)) {
      value(await real.api.auth.login({ email: MAX.email, password: MAX.password }))
      value(await real.api.auth.verifySecondFactor({ backupCode: code }))
      value(await real.api.auth.logout())
    }
    value(await real.api.auth.login({ email: MAX.email, password: MAX.password }))
    const user = userEvent.setup()
    renderWithApi(real.api)
    await chooseOtherWay(user, 'Use a backup code')
    await user.type(screen.getByLabelText('Backup code'), real.backupCodes[3]!)
    await user.click(screen.getByRole('button', { name: 'Verify' }))
    const warning = await screen.findByRole('alert')
    // The console stays in use, but the sign-in is now six minutes old.
    real.clock.advance(4 * 60_000)
    value(await real.api.session.touch())
    real.clock.advance(2 * 60_000)
    await user.click(within(warning).getByRole('button', { name: 'Create new codes' }))
    const dialog = await screen.findByRole('dialog', { name: 'Create new backup codes?' })
    await user.click(within(dialog).getByRole('button', { name: 'Create new codes' }))
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Enter your password and the code from your authenticator app to create new backup codes.',
    )
    expect(within(dialog).getByLabelText('Current password')).toHaveFocus()
    expect(within(dialog).getByLabelText('6-digit code from your authenticator app')).toBeVisible()
    const status = value(await real.api.twoFactor.status())
    expect(status.backupCodesRemaining).toBe(1)
  })

  it('all done: every item ticked, no next step', async () => {
    const real = await member({ twoFactor: true })
    value(
      await real.api.phone.start({
        number: PHONE,
        numberConfirm: PHONE,
        notAuthenticatorPhone: true,
        password: MAX.password,
      }),
    )
    value(await real.api.phone.verify({ code: lastSmsCode(real) }))
    renderWithApi(real.api)
    const region = await checklist()
    expect(await within(region).findByText('All done: your account is well protected.')).toBeVisible()
    expect(items(region).map((li) => li.querySelector('.visually-hidden')?.textContent)).toEqual([
      'Done: ',
      'Done: ',
      'Done: ',
    ])
    expect(within(region).queryByRole('button')).toBeNull()
  })

  it('moves focus to each page’s heading on navigation', async () => {
    const real = await member()
    const user = userEvent.setup()
    renderWithApi(real.api)
    expect(await screen.findByRole('heading', { name: 'Welcome, Max Member' })).toHaveFocus()
    const nav = screen.getByRole('navigation', { name: 'Main' })
    await user.click(within(nav).getByRole('button', { name: 'My profile' }))
    expect(await screen.findByRole('heading', { name: 'My profile', level: 1 })).toHaveFocus()
    await user.click(within(nav).getByRole('button', { name: 'Overview' }))
    expect(await screen.findByRole('heading', { name: 'Welcome, Max Member' })).toHaveFocus()
  })
})
