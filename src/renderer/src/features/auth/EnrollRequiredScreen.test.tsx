import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { sqlRun } from '../../../../../test/fixtures/sql'
import { value } from '../../../../../test/fixtures/results'
import { sessionKeys } from '../../session/queries'
import { closeAll, OWNER, renderWithApi } from '../../test/harness'
import { lastSmsCode, ownerWithPhone, PHONE_MASKED, sendPhoneCode } from '../../test/phone'
import { chooseOtherWay, enrollInWizard, ownerOnManualClock, signInPasswordOnly } from '../../test/two-factor'

afterEach(closeAll)

const welcome = `Welcome, ${OWNER.name}`

/** The owner, required to have 2FA and without it, just past the password: main's stage is 'enroll'. */
async function requiredOwner() {
  const real = await ownerOnManualClock()
  const { db } = real.backend.services()
  await real.api.auth.logout()
  await sqlRun(db, 'UPDATE users SET require_2fa = 1 WHERE email = ?', OWNER.email)
  await signInPasswordOnly(real)
  return real
}

describe('Required enrollment', () => {
  it('keeps the wizard on screen for the phone step after main completes the login', async () => {
    const real = await requiredOwner()
    const user = userEvent.setup()
    const { queryClient } = renderWithApi(real.api)
    expect(await screen.findByText(/Your administrator requires two-factor authentication/)).toBeVisible()
    // The password was given a moment ago: the wizard starts at the QR code, counted from there.
    const scan = await screen.findByRole('heading', { name: 'Scan the QR code' })
    expect(scan).toHaveFocus()
    expect(scan).toHaveAccessibleDescription('Step 1 of 3')
    expect(screen.queryByLabelText('Current password')).toBeNull()
    await enrollInWizard(user, real.clock)
    const phoneStep = await screen.findByRole('heading', { name: 'Add an emergency phone' })
    expect(phoneStep).toHaveFocus()
    expect(phoneStep).toHaveAccessibleDescription('Step 3 of 3')

    // Main already counts the login as complete; re-reading the session must not sweep the step away.
    await queryClient.invalidateQueries({ queryKey: sessionKeys.state })
    expect(queryClient.getQueryData(sessionKeys.state)).toMatchObject({ phase: 'signed-in' })
    expect(screen.getByRole('heading', { name: 'Add an emergency phone' })).toBeVisible()
    expect(screen.queryByRole('button', { name: 'Sign out' })).not.toBeInTheDocument()

    await sendPhoneCode(user, screen.getByRole('form', { name: 'Emergency phone number' }))
    await user.type(await screen.findByLabelText('Code from the SMS'), lastSmsCode(real))
    await user.click(screen.getByRole('button', { name: 'Verify phone' }))
    expect(await screen.findByRole('status')).toHaveTextContent(
      `${PHONE_MASKED} is now your verified emergency phone.`,
    )
    await user.click(screen.getByRole('button', { name: 'Done' }))
    expect(await screen.findByRole('heading', { name: welcome })).toBeVisible()
    expect(await real.api.phone.status()).toMatchObject({
      ok: true,
      value: { verified: true, masked: PHONE_MASKED },
    })
  })

  it('asks the password first when it was given more than a few minutes ago', async () => {
    const real = await ownerWithPhone()
    await signInPasswordOnly(real)
    // The SMS code came four minutes after the password and moved the login on to enrollment; a minute
    // later the password itself is too old to stand in for asking it again.
    real.clock.advance(4 * 60_000)
    value(await real.api.auth.sendSmsCode())
    value(await real.api.auth.verifySmsCode({ code: lastSmsCode(real) }))
    real.clock.advance(60_000 + 1)
    renderWithApi(real.api)
    const password = await screen.findByRole('heading', { name: 'Confirm your password' })
    expect(password).toHaveAccessibleDescription('Step 1 of 4')
    expect(screen.getByLabelText('Current password')).toHaveFocus()
    expect(screen.queryByRole('alert')).toBeNull()
  })

  it('can skip the phone: it says where to add one later, and the login completes', async () => {
    const real = await requiredOwner()
    const user = userEvent.setup()
    renderWithApi(real.api)
    await enrollInWizard(user, real.clock)
    const step = await screen.findByRole('region', { name: 'Enable two-factor authentication' })
    expect(within(step).getByText(/add one later in My profile/)).toBeVisible()
    expect(within(step).getByText(/ask support/)).toBeVisible()
    await user.click(within(step).getByRole('button', { name: 'Skip for now' }))
    expect(await screen.findByRole('heading', { name: welcome })).toBeVisible()
    expect(await real.api.phone.status()).toMatchObject({ ok: true, value: null })
  })

  it('after "I lost my device", shows the phone already verified and asks for nothing', async () => {
    const real = await ownerWithPhone()
    await signInPasswordOnly(real)
    const user = userEvent.setup()
    renderWithApi(real.api)
    await chooseOtherWay(user, 'Send a code to my emergency phone')
    await user.click(screen.getByRole('button', { name: 'Send a code to my emergency phone' }))
    await user.type(await screen.findByLabelText('Code from the SMS'), lastSmsCode(real))
    await user.click(screen.getByRole('button', { name: 'Verify' }))
    expect(
      await screen.findByText(/Your old authenticator app and backup codes no longer work/),
    ).toBeVisible()

    await enrollInWizard(user, real.clock)
    const step = await screen.findByRole('region', { name: 'Enable two-factor authentication' })
    expect(await within(step).findByRole('heading', { name: 'Emergency phone' })).toBeVisible()
    expect(within(step).getByText(PHONE_MASKED)).toBeVisible()
    expect(within(step).getByText(/change it in My profile/)).toBeVisible()
    expect(within(step).queryByLabelText('Phone number')).toBeNull()
    await user.click(within(step).getByRole('button', { name: 'Done' }))
    expect(await screen.findByRole('heading', { name: welcome })).toBeVisible()
  })
})
