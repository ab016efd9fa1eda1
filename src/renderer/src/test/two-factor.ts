import { screen } from '@testing-library/react'
import type { UserEvent } from '@testing-library/user-event'
import { ManualClock } from '../../../main/adapters/clock'
import { fromBase32, totpAt } from '../../../main/core/totp'
import { OWNER, realApi, setUpOwner, type RealApi } from './harness'
import { value } from '../../../../test/fixtures/results'

/** A set-up database with its owner signed in (password only), on a clock the test moves. */
export async function ownerOnManualClock(): Promise<RealApi & { clock: ManualClock }> {
  const clock = new ManualClock(Date.UTC(2026, 10, 28, 9, 0, 0))
  const real = await realApi({ clock })
  await setUpOwner(real, { phones: true })
  value(await real.api.auth.login({ email: OWNER.email, password: OWNER.password }))
  return { ...real, clock }
}

/**
 * The owner with 2FA turned on through the contract (as the wizard does), then signed out, with the
 * clock one step on so the enrollment code is not the current one. `appCode` is what the phone shows.
 */
export async function ownerWithTwoFactor() {
  const real = await ownerOnManualClock()
  const start = value(await real.api.twoFactor.startEnrollment({ password: OWNER.password }))
  const params = { secret: fromBase32(start.manualKey), algorithm: 'sha1', digits: 6, period: 30 } as const
  const appCode = (offsetSteps = 0): Promise<string> =>
    totpAt(params, real.clock.now() + offsetSteps * 30_000)
  const enrollmentCode = await appCode()
  const { backupCodes } = value(await real.api.twoFactor.confirmEnrollment({ code: enrollmentCode }))
  value(await real.api.auth.logout())
  real.clock.advance(30_000)
  return { ...real, appCode, enrollmentCode, backupCodes }
}

/** Password accepted, second step pending: the window shows the second-factor screen. */
export async function signInPasswordOnly(real: RealApi): Promise<void> {
  value(await real.api.auth.login({ email: OWNER.email, password: OWNER.password }))
}

/** The TOTP parameters behind a manual key as the wizard shows it. */
export const paramsOf = (manualKey: string) =>
  ({ secret: fromBase32(manualKey), algorithm: 'sha1', digits: 6, period: 30 }) as const

/**
 * The wizard on screen, as a person goes through it: password (unless it was just given), the code for
 * the manual key, backup codes saved. Ends at the emergency phone step; returns the manual key.
 */
export async function enrollInWizard(user: UserEvent, clock: ManualClock, password = OWNER.password) {
  const first = await screen.findByRole('heading', { name: /^(Confirm your password|Scan the QR code)$/ })
  if (first.textContent === 'Confirm your password') {
    await user.type(screen.getByLabelText('Current password'), password)
    await user.click(screen.getByRole('button', { name: 'Continue' }))
  }
  const key = (await screen.findByRole('group', { name: 'Manual key' })).textContent!
  await user.type(
    screen.getByLabelText('6-digit code from the app'),
    await totpAt(paramsOf(key), clock.now()),
  )
  await user.click(screen.getByRole('button', { name: 'Turn on two-factor authentication' }))
  await user.click(await screen.findByLabelText('I have saved these codes'))
  await user.click(screen.getByRole('button', { name: 'Done' }))
  return key
}

/** At the second login step: opens "Having trouble?" and picks one of the other ways in. */
export async function chooseOtherWay(user: UserEvent, choice: string): Promise<void> {
  await user.click(await screen.findByRole('button', { name: 'Having trouble?' }))
  await user.click(screen.getByRole('button', { name: choice }))
}
