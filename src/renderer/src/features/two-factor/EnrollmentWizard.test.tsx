import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { sqlValue } from '../../../../../test/fixtures/sql'
import { totpAt } from '../../../../main/core/totp'
import { closeAll, OWNER, renderWithApi } from '../../test/harness'
import { lastSmsCode, PHONE_MASKED, sendPhoneCode } from '../../test/phone'
import { enrollInWizard, ownerOnManualClock, paramsOf } from '../../test/two-factor'
import phone from '../phone/locales/en.json'

afterEach(closeAll)

type User = ReturnType<typeof userEvent.setup>

async function openWizard(user: User) {
  await user.click(await screen.findByRole('button', { name: 'My profile' }))
  const panel = await screen.findByRole('region', { name: 'Two-factor authentication' })
  expect(await within(panel).findByText('Off')).toBeVisible()
  await user.click(within(panel).getByRole('button', { name: 'Enable' }))
  // From My profile the password is asked first: four steps, the first one's field focused.
  expect(screen.getByRole('heading', { name: 'Confirm your password' })).toHaveAccessibleDescription(
    'Step 1 of 4',
  )
  expect(screen.getByLabelText('Current password')).toHaveFocus()
  await user.type(screen.getByLabelText('Current password'), OWNER.password)
  await user.click(screen.getByRole('button', { name: 'Continue' }))
  expect(await screen.findByRole('img', { name: 'QR code for your authenticator app' })).toBeVisible()
  // Each new step takes focus at its heading, with where it stands read out.
  const scan = screen.getByRole('heading', { name: 'Scan the QR code' })
  expect(scan).toHaveFocus()
  expect(scan).toHaveAccessibleDescription('Step 2 of 4')
  return panel
}

describe('Enrollment wizard', () => {
  it('refuses a wrong code, stores nothing, and Cancel abandons the enrollment', async () => {
    const { api, backend, clock } = await ownerOnManualClock()
    const user = userEvent.setup()
    renderWithApi(api)
    await openWizard(user)
    const key = screen.getByRole('group', { name: 'Manual key' }).textContent!
    expect(key).toMatch(/^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/)
    expect(screen.getByText('The code changes every 30 seconds.')).toBeVisible()

    // A 6-digit code that none of the accepted steps (±1) would produce.
    const near = await Promise.all([-1, 0, 1].map((s) => totpAt(paramsOf(key), clock.now() + s * 30_000)))
    const wrong = ['123456', '654321', '000000', '999999'].find((c) => !near.includes(c))!
    await user.type(screen.getByLabelText('6-digit code from the app'), wrong)
    await user.click(screen.getByRole('button', { name: 'Turn on two-factor authentication' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('The code is not correct.')
    expect(screen.getByLabelText('6-digit code from the app')).toHaveValue('')

    const { db, twoFactor } = backend.services()
    const ownerId = await sqlValue<number>(db, 'SELECT id FROM users WHERE email = ?', OWNER.email)
    expect(await twoFactor.status(ownerId)).toMatchObject({ enrolled: false, backupCodesTotal: 0 })
    expect(await sqlValue(db, 'SELECT count(*) FROM totp_pending')).toBe(1)

    await user.click(screen.getByRole('button', { name: 'Cancel' }))
    const panel = screen.getByRole('region', { name: 'Two-factor authentication' })
    expect(await within(panel).findByText('Off')).toBeVisible()
    expect(screen.queryByRole('img', { name: /QR code/ })).not.toBeInTheDocument()
    expect(await sqlValue(db, 'SELECT count(*) FROM totp_pending')).toBe(0)
    expect((await twoFactor.status(ownerId)).enrolled).toBe(false)
    const types = (await backend.services().audit.list(undefined, 3)).events.map((e) => e.type)
    expect(types).toEqual(['2fa.enrollment_abandoned', '2fa.code_refused', '2fa.enrollment_started'])
  })

  it('turns 2FA on with the right code, shows the five codes once, skips the phone, then only the status', async () => {
    const { api, clock } = await ownerOnManualClock()
    const user = userEvent.setup()
    renderWithApi(api)
    const panel = await openWizard(user)
    const key = screen.getByRole('group', { name: 'Manual key' }).textContent!
    await user.type(
      screen.getByLabelText('6-digit code from the app'),
      await totpAt(paramsOf(key), clock.now()),
    )
    await user.click(screen.getByRole('button', { name: 'Turn on two-factor authentication' }))

    const list = await screen.findByRole('list', { name: 'Backup codes' })
    const codes = within(list)
      .getAllByRole('listitem')
      .map((li) => li.textContent)
    expect(codes).toHaveLength(5)
    for (const c of codes) expect(c).toMatch(/^[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}$/)
    expect(screen.queryByRole('img', { name: /QR code/ })).not.toBeInTheDocument()

    const done = screen.getByRole('button', { name: 'Done' })
    expect(done).toBeDisabled()
    expect(screen.getByText('Step 3 of 4')).toBeVisible()
    expect(screen.getByRole('heading', { name: 'Save your backup codes' })).toHaveFocus()
    await user.click(screen.getByLabelText('I have saved these codes'))
    await user.click(done)

    // Last step: the emergency phone, recommended but not required.
    expect(await screen.findByRole('heading', { name: 'Add an emergency phone' })).toHaveFocus()
    expect(screen.getByText('Step 4 of 4')).toBeVisible()
    expect(screen.getByText(phone.form.smsWarning)).toBeVisible()
    expect(screen.getByText(phone.step.skipNote)).toBeVisible()
    expect(screen.queryByRole('list', { name: 'Backup codes' })).not.toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Skip for now' }))

    expect(await within(panel).findByText(/^On since /)).toBeVisible()
    expect(within(panel).getByText('5/5 left')).toBeVisible()
    expect(within(panel).getAllByText('unused')).toHaveLength(5)
    expect(document.body.textContent).not.toContain(codes[0])
    expect(document.body.textContent).not.toContain(key)
    expect(screen.queryByRole('heading', { name: 'Add an emergency phone' })).not.toBeInTheDocument()
    const phonePanel = screen.getByRole('region', { name: 'Emergency phone' })
    expect(within(phonePanel).getByText('None')).toBeVisible()
  })

  it('verifies an emergency phone as its last step, asking for the password again', async () => {
    const real = await ownerOnManualClock()
    const user = userEvent.setup()
    renderWithApi(real.api)
    await user.click(await screen.findByRole('button', { name: 'My profile' }))
    const panel = await screen.findByRole('region', { name: 'Two-factor authentication' })
    await user.click(await within(panel).findByRole('button', { name: 'Enable' }))
    await enrollInWizard(user, real.clock)

    await screen.findByRole('heading', { name: 'Add an emergency phone' })
    const form = screen.getByRole('form', { name: 'Emergency phone number' })
    expect(within(form).getByLabelText('Current password')).toHaveValue('')
    expect(within(form).queryByLabelText(/from your authenticator app/)).toBeNull()
    await sendPhoneCode(user, form)
    expect(await screen.findByText(/We sent a code to/)).toHaveTextContent(PHONE_MASKED)
    await user.type(screen.getByLabelText('Code from the SMS'), lastSmsCode(real))
    await user.click(screen.getByRole('button', { name: 'Verify phone' }))

    expect(await within(panel).findByRole('heading', { name: 'Emergency phone' })).toBeVisible()
    expect(within(panel).getByRole('status')).toHaveTextContent(
      `${PHONE_MASKED} is now your verified emergency phone.`,
    )
    // My profile's own section, below, has it too.
    const phonePanel = screen.getByRole('region', { name: 'Emergency phone' })
    expect(await within(phonePanel).findByText(/^Verified on/)).toBeVisible()
    await user.click(within(panel).getByRole('button', { name: 'Done' }))
    expect(await within(panel).findByText(/^On since /)).toBeVisible()

    const types = (await real.backend.services().audit.list(undefined, 5)).events.map((e) => e.type)
    expect(types).toContain('phone.verified')
  })
})
