import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { closeAll, OWNER, renderWithApi } from '../../test/harness'
import { lastSmsCode, ownerWithPhone, PHONE_MASKED } from '../../test/phone'
import { chooseOtherWay, ownerWithTwoFactor, signInPasswordOnly } from '../../test/two-factor'

afterEach(closeAll)

const welcome = `Welcome, ${OWNER.name}`

describe('Second login step', () => {
  it('shows main’s message for a replayed app code, then accepts the current one', async () => {
    const real = await ownerWithTwoFactor()
    await signInPasswordOnly(real)
    const user = userEvent.setup()
    renderWithApi(real.api)
    expect(await screen.findByText(/Enter the 6-digit code from your authenticator app/)).toBeVisible()
    const field = screen.getByLabelText('6-digit code')
    expect(field).toHaveAttribute('autocomplete', 'one-time-code')
    expect(field).toHaveAttribute('inputmode', 'numeric')

    // The code used to turn 2FA on is still inside the ±1 window, but its step was already accepted.
    await user.type(field, real.enrollmentCode)
    await user.click(screen.getByRole('button', { name: 'Verify' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('This code was already used.')
    expect(screen.getByLabelText('6-digit code')).toHaveValue('')

    await user.type(screen.getByLabelText('6-digit code'), await real.appCode())
    await user.click(screen.getByRole('button', { name: 'Verify' }))
    expect(await screen.findByRole('heading', { name: welcome })).toBeVisible()
    expect(screen.queryByText(/signed in with a backup code/)).not.toBeInTheDocument()
  })

  it('puts the app code first; "Having trouble?" lists a backup code and support, no SMS without a phone', async () => {
    const real = await ownerWithTwoFactor()
    await signInPasswordOnly(real)
    const user = userEvent.setup()
    renderWithApi(real.api)
    expect(await screen.findByLabelText('6-digit code')).toHaveFocus()
    // One way in on show; the others wait behind one closed disclosure.
    const trouble = screen.getByRole('button', { name: 'Having trouble?' })
    expect(trouble).toHaveAttribute('aria-expanded', 'false')
    expect(screen.queryByRole('button', { name: 'Use a backup code' })).toBeNull()
    await user.click(trouble)
    expect(trouble).toHaveAttribute('aria-expanded', 'true')
    const list = screen.getByRole('list', { name: 'Other ways to sign in' })
    expect(
      within(list)
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual(['Use a backup code', 'Ask support for help'])
    expect(screen.queryByText(/emergency phone/)).toBeNull()

    // Each choice replaces the step and takes focus there.
    await user.click(within(list).getByRole('button', { name: 'Use a backup code' }))
    expect(screen.getByLabelText('Backup code')).toHaveFocus()
    expect(screen.getByRole('button', { name: 'Having trouble?' })).toHaveAttribute('aria-expanded', 'false')
    await user.click(screen.getByRole('button', { name: 'Use the authenticator app instead' }))
    expect(screen.getByLabelText('6-digit code')).toHaveFocus()

    await chooseOtherWay(user, 'Ask support for help')
    expect(screen.getByRole('heading', { name: 'Ask support for help' })).toHaveFocus()
    expect(screen.getByLabelText('What happened')).toBeVisible()
    await user.click(screen.getByRole('button', { name: 'I have a temporary access code from support' }))
    expect(screen.getByRole('heading', { name: 'Enter your temporary access code' })).toHaveFocus()
    await user.click(screen.getByRole('button', { name: 'Back to the app code' }))
    expect(screen.getByLabelText('6-digit code')).toHaveFocus()
  })

  it('offers the emergency phone under "Having trouble?" when the account has a verified one', async () => {
    const real = await ownerWithPhone()
    await signInPasswordOnly(real)
    const user = userEvent.setup()
    renderWithApi(real.api)
    await user.click(await screen.findByRole('button', { name: 'Having trouble?' }))
    const list = screen.getByRole('list', { name: 'Other ways to sign in' })
    expect(
      within(list)
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual(['Use a backup code', 'Send a code to my emergency phone', 'Ask support for help'])
    // No number before the person asks for the code: only that a verified phone exists.
    expect(screen.queryByText(PHONE_MASKED)).toBeNull()
    await user.click(within(list).getByRole('button', { name: 'Send a code to my emergency phone' }))
    expect(screen.getByRole('heading', { name: 'Use your emergency phone' })).toHaveFocus()
    expect(screen.getByText(/turns off your old authenticator app/)).toBeVisible()
  })

  it('warns after a backup-code login that leaves one code', async () => {
    const real = await ownerWithTwoFactor()
    // Three codes spent on earlier logins.
    for (const code of real.backupCodes.slice(0, 3)) {
      await signInPasswordOnly(real)
      expect((await real.api.auth.verifySecondFactor({ backupCode: code })).ok).toBe(true)
      await real.api.auth.logout()
    }
    await signInPasswordOnly(real)
    const user = userEvent.setup()
    renderWithApi(real.api)
    await chooseOtherWay(user, 'Use a backup code')
    await user.type(screen.getByLabelText('Backup code'), real.backupCodes[3]!.toLowerCase())
    await user.click(screen.getByRole('button', { name: 'Verify' }))

    expect(await screen.findByRole('heading', { name: welcome })).toBeVisible()
    const warning = screen.getByRole('alert')
    expect(warning).toHaveTextContent('You have 1 backup code left.')
    expect(warning).toHaveTextContent('Create new codes now, before you run out.')
    expect(within(warning).getByRole('button', { name: 'Create new codes' })).toBeVisible()
    await user.click(screen.getByRole('button', { name: 'Dismiss' }))
    expect(screen.queryByText(/backup code left/)).not.toBeInTheDocument()
  })

  it('refuses a used backup code with main’s message', async () => {
    const real = await ownerWithTwoFactor()
    await signInPasswordOnly(real)
    expect((await real.api.auth.verifySecondFactor({ backupCode: real.backupCodes[0]! })).ok).toBe(true)
    await real.api.auth.logout()
    await signInPasswordOnly(real)
    const user = userEvent.setup()
    renderWithApi(real.api)
    await chooseOtherWay(user, 'Use a backup code')
    await user.type(screen.getByLabelText('Backup code'), real.backupCodes[0]!)
    await user.click(screen.getByRole('button', { name: 'Verify' }))
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'This backup code is not correct or was already used.',
    )
  })

  describe('a code to the emergency phone', () => {
    it('sends a code to the verified phone; the code leads into enrolling a new authenticator', async () => {
      const real = await ownerWithPhone()
      await signInPasswordOnly(real)
      const user = userEvent.setup()
      renderWithApi(real.api)
      await chooseOtherWay(user, 'Send a code to my emergency phone')
      await user.click(screen.getByRole('button', { name: 'Send a code to my emergency phone' }))
      expect(await screen.findByText(/We sent a code to/)).toHaveTextContent(PHONE_MASKED)
      const code = lastSmsCode(real)

      await user.type(screen.getByLabelText('Code from the SMS'), code === '000000' ? '111111' : '000000')
      await user.click(screen.getByRole('button', { name: 'Verify' }))
      expect(await screen.findByRole('alert')).toHaveTextContent('The code is not correct.')
      expect(screen.getByLabelText('Code from the SMS')).toHaveValue('')

      await user.type(screen.getByLabelText('Code from the SMS'), code)
      await user.click(screen.getByRole('button', { name: 'Verify' }))
      expect(await screen.findByRole('heading', { name: 'Set up two-factor authentication' })).toBeVisible()
      expect(screen.getByText(/Your old authenticator app and backup codes no longer work/)).toBeVisible()
      expect(screen.queryByText(/Your administrator requires/)).not.toBeInTheDocument()
      // The old second factor is gone: no backup code of the old set works any more.
      const status = await real.api.twoFactor.status()
      expect(status.ok && status.value.enrolled).toBe(false)
    })

    it('shows main’s message once three codes were sent this hour', async () => {
      const real = await ownerWithPhone()
      await signInPasswordOnly(real)
      const user = userEvent.setup()
      renderWithApi(real.api)
      await chooseOtherWay(user, 'Send a code to my emergency phone')
      await user.click(screen.getByRole('button', { name: 'Send a code to my emergency phone' }))
      expect(await screen.findByText(/We sent a code to/)).toBeVisible()
      for (let i = 0; i < 2; i++) {
        real.clock.advance(60_000)
        await user.click(screen.getByRole('button', { name: 'Send a new code' }))
      }
      real.clock.advance(60_000)
      await user.click(screen.getByRole('button', { name: 'Send a new code' }))
      expect(await screen.findByRole('alert')).toHaveTextContent(
        /At most 3 SMS codes are sent per hour\. Try again in \d+ minutes\./,
      )
    })
  })
})
