import { within } from '@testing-library/react'
import type { UserEvent } from '@testing-library/user-event'
import type { RealApi } from './harness'
import { ownerWithTwoFactor, signInPasswordOnly } from './two-factor'
import { OWNER } from './harness'
import { value } from '../../../../test/fixtures/results'

/** The 6 digits of the latest SMS, read on the phone it went to (the fake Twilio of setUpOwner). */
export function lastSmsCode(real: RealApi): string {
  if (!real.phones) throw new Error('No phones: the database was not set up with setUpOwner()')
  return real.phones.lastCode()
}

export const PHONE = '+34 600 000 123'
export const PHONE_MASKED = '+34 ••• ••• 123'

/** The owner with 2FA, fully signed in (password + app code). */
export async function ownerSignedInWithTwoFactor() {
  const real = await ownerWithTwoFactor()
  await signInPasswordOnly(real)
  value(await real.api.auth.verifySecondFactor({ code: await real.appCode() }))
  real.clock.advance(30_000)
  return real
}

/** The owner with 2FA and a verified emergency phone, signed out, an hour later (SMS limit fresh). */
export async function ownerWithPhone() {
  const real = await ownerSignedInWithTwoFactor()
  value(
    await real.api.phone.start({
      number: PHONE,
      numberConfirm: PHONE,
      notAuthenticatorPhone: true,
      password: OWNER.password,
    }),
  )
  value(await real.api.phone.verify({ code: lastSmsCode(real) }))
  value(await real.api.auth.logout())
  real.clock.advance(61 * 60_000)
  return real
}

/** Fills in the emergency phone form inside `scope` and asks for the SMS code. */
export async function sendPhoneCode(user: UserEvent, scope: HTMLElement, number = PHONE) {
  const at = within(scope)
  await user.type(at.getByLabelText('Phone number'), number)
  await user.type(at.getByLabelText('Phone number again'), number)
  await user.click(at.getByRole('checkbox', { name: 'This is not the phone with my authenticator app' }))
  await user.type(at.getByLabelText('Current password'), OWNER.password)
  await user.click(at.getByRole('button', { name: 'Send a code' }))
}
