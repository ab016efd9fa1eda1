import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { sqlGet } from '../../../../../test/fixtures/sql'
import { closeAll, OWNER, renderWithApi } from '../../test/harness'
import { lastSmsCode, ownerSignedInWithTwoFactor, PHONE, PHONE_MASKED } from '../../test/phone'
import phone from './locales/en.json'

afterEach(closeAll)

async function openPanel(user: ReturnType<typeof userEvent.setup>) {
  await user.click(await screen.findByRole('button', { name: 'My profile' }))
  return screen.findByRole('region', { name: 'Emergency phone' })
}

describe('My profile: emergency phone', () => {
  it('adds a phone: errors at the fields, then the SMS code verifies it', async () => {
    const real = await ownerSignedInWithTwoFactor()
    const user = userEvent.setup()
    renderWithApi(real.api)
    const panel = await openPanel(user)
    expect(await within(panel).findByText('None')).toBeVisible()

    await user.click(within(panel).getByRole('button', { name: 'Add emergency phone' }))
    expect(within(panel).getByText(phone.form.smsWarning)).toBeVisible()
    // The app-code field is only for changing a verified phone.
    expect(within(panel).queryByLabelText(/from your authenticator app/)).toBeNull()
    await user.click(within(panel).getByRole('button', { name: 'Send a code' }))
    expect(await within(panel).findByText('Enter a phone number')).toBeVisible()
    expect(
      within(panel).getByText('Confirm that this is not the phone with your authenticator app'),
    ).toBeVisible()
    expect(within(panel).getByRole('checkbox')).toHaveAttribute('aria-invalid', 'true')

    await user.type(within(panel).getByLabelText('Phone number'), PHONE)
    await user.type(within(panel).getByLabelText('Phone number again'), '+34 600 000 124')
    await user.click(
      within(panel).getByRole('checkbox', { name: 'This is not the phone with my authenticator app' }),
    )
    await user.type(within(panel).getByLabelText('Current password'), OWNER.password)
    await user.click(within(panel).getByRole('button', { name: 'Send a code' }))
    expect(await within(panel).findByText('Enter the same number as above')).toBeVisible()
    expect(within(panel).getByLabelText('Phone number again')).toHaveAttribute('aria-invalid', 'true')

    await user.clear(within(panel).getByLabelText('Phone number again'))
    await user.type(within(panel).getByLabelText('Phone number again'), '+34600000123')
    await user.type(within(panel).getByLabelText('Current password'), 'not-the-password-at-all')
    await user.click(within(panel).getByRole('button', { name: 'Send a code' }))
    expect(await within(panel).findByRole('alert')).toHaveTextContent('The password is not correct.')
    expect(within(panel).queryByText(/We sent a code/)).toBeNull()

    await user.type(within(panel).getByLabelText('Current password'), OWNER.password)
    await user.click(within(panel).getByRole('button', { name: 'Send a code' }))
    expect(await within(panel).findByText(/We sent a code to/)).toHaveTextContent(PHONE_MASKED)
    const code = lastSmsCode(real)

    await user.type(within(panel).getByLabelText('Code from the SMS'), '12')
    await user.click(within(panel).getByRole('button', { name: 'Verify phone' }))
    expect(await within(panel).findByText('Enter the 6-digit code sent to your phone')).toBeVisible()
    await user.clear(within(panel).getByLabelText('Code from the SMS'))
    await user.type(
      within(panel).getByLabelText('Code from the SMS'),
      code === '000000' ? '111111' : '000000',
    )
    await user.click(within(panel).getByRole('button', { name: 'Verify phone' }))
    expect(await within(panel).findByRole('alert')).toHaveTextContent(
      'The code is not correct. 2 tries left for this code.',
    )

    await user.type(within(panel).getByLabelText('Code from the SMS'), code)
    await user.click(within(panel).getByRole('button', { name: 'Verify phone' }))
    expect(await within(panel).findByRole('status')).toHaveTextContent(
      `${PHONE_MASKED} is now your verified emergency phone.`,
    )
    expect(await within(panel).findByText(/^Verified on/)).toBeVisible()
    expect(within(panel).getByText(PHONE_MASKED)).toBeVisible()
    expect(panel).not.toHaveTextContent('600000123')
  })

  it('changing a verified phone needs the app code', async () => {
    const real = await ownerSignedInWithTwoFactor()
    await real.api.phone.start({
      number: PHONE,
      numberConfirm: PHONE,
      notAuthenticatorPhone: true,
      password: OWNER.password,
    })
    expect((await real.api.phone.verify({ code: lastSmsCode(real) })).ok).toBe(true)
    const user = userEvent.setup()
    renderWithApi(real.api)
    const panel = await openPanel(user)
    expect(await within(panel).findByText(PHONE_MASKED)).toBeVisible()

    await user.click(within(panel).getByRole('button', { name: 'Change' }))
    await user.type(within(panel).getByLabelText('Phone number'), '+34 611 222 456')
    await user.type(within(panel).getByLabelText('Phone number again'), '+34 611 222 456')
    await user.click(within(panel).getByRole('checkbox'))
    await user.type(within(panel).getByLabelText('Current password'), OWNER.password)
    await user.click(within(panel).getByRole('button', { name: 'Send a code' }))
    expect(await within(panel).findByText('Enter the 6-digit code from your authenticator app')).toBeVisible()

    // The password typed stays; only the app code is missing.

    await user.type(
      within(panel).getByLabelText('6-digit code from your authenticator app'),
      await real.appCode(),
    )
    await user.click(within(panel).getByRole('button', { name: 'Send a code' }))
    expect(await within(panel).findByText(/We sent a code to/)).toHaveTextContent('+34 ••• ••• 456')
    await user.type(within(panel).getByLabelText('Code from the SMS'), lastSmsCode(real))
    await user.click(within(panel).getByRole('button', { name: 'Verify phone' }))
    expect(await within(panel).findByRole('status')).toHaveTextContent(
      '+34 ••• ••• 456 is now your verified emergency phone.',
    )
    // The old number was told.
    const last = (await sqlGet<{ body: string }>(
      real.backend.services().db,
      'SELECT body FROM sms_outbox ORDER BY id DESC LIMIT 1',
    ))!
    expect(last.body).toContain('emergency phone was changed')
  })
})
