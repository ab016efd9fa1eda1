import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { ManualClock } from '../../../../main/adapters/clock'
import { totpAt } from '../../../../main/core/totp'
import { closeAll, realApi, renderWithApi, setUpOwner } from '../../test/harness'
import { addPerson, ASK, ownerAgent } from '../../test/recovery'
import { enrollInWizard, paramsOf } from '../../test/two-factor'
import { ownerActor } from '../../test/users'
import { value } from '../../../../../test/fixtures/results'

afterEach(closeAll)

const NOA = 'noa@example.com'
/** What addPerson gives everyone; forgotten in these tests. */
const OLD_PASSWORD = 'person-password-4242'
const NEW_PASSWORD = 'noa-new-harbour-password-31'
const WRONG_CODE = 'AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-A'

type User = ReturnType<typeof userEvent.setup>

/**
 * The owner, and Noa (a member) with an authenticator app enrolled through the contract, both signed out;
 * the cooling-off after an approval is off. The window shows "Forgot your password?".
 */
async function noaLostBoth() {
  const clock = new ManualClock(Date.UTC(2026, 10, 28, 9, 0, 0))
  const real = await realApi({ clock })
  await setUpOwner(real)
  await real.backend.services().policy.update({ recoveryCoolingOffMinutes: 0 }, null)
  await addPerson(real, NOA, 'Noa Member')
  value(await real.api.auth.login({ email: NOA, password: OLD_PASSWORD }))
  const start = value(await real.api.twoFactor.startEnrollment({ password: OLD_PASSWORD }))
  const code = await totpAt(paramsOf(start.manualKey), clock.now())
  value(await real.api.twoFactor.confirmEnrollment({ code }))
  value(await real.api.auth.logout())
  clock.advance(30_000)

  const user = userEvent.setup()
  renderWithApi(real.api)
  await user.click(await screen.findByRole('button', { name: 'Forgot password?' }))
  expect(screen.getByRole('heading', { name: 'Forgot your password?' })).toBeVisible()
  return { ...real, clock, user }
}

async function askSupport(user: User, values: { message: string; contact: string }) {
  await user.type(screen.getByLabelText('What happened'), values.message)
  await user.type(screen.getByLabelText('How can support reach you'), values.contact)
  await user.click(screen.getByRole('button', { name: 'Send the request to support' }))
}

async function fillAccessCode(user: User, values: { code: string; password?: string; again?: string }) {
  for (const label of ['Temporary access code', 'New password', 'New password again'])
    await user.clear(screen.getByLabelText(label))
  await user.type(screen.getByLabelText('Temporary access code'), values.code)
  await user.type(screen.getByLabelText('New password'), values.password ?? NEW_PASSWORD)
  await user.type(
    screen.getByLabelText('New password again'),
    values.again ?? values.password ?? NEW_PASSWORD,
  )
  await user.click(screen.getByRole('button', { name: 'Change password and continue' }))
}

describe('Forgot password? with the authenticator lost too', () => {
  it('files a request with the email alone; support’s access code and a new password lead into enrollment', async () => {
    const real = await noaLostBoth()
    const { user, backend, api, clock } = real
    const services = backend.services()
    await user.type(screen.getByLabelText('Email'), NOA)
    await user.click(screen.getByRole('button', { name: 'I also lost my authenticator app' }))
    expect(screen.getByRole('heading', { name: 'Ask support for help' })).toBeVisible()
    // The email typed on the previous screen is carried over.
    expect(screen.getByLabelText('Email')).toHaveValue(NOA)

    // The same rules as "Ask support for help" after the password.
    await askSupport(user, { message: 'Lost it', contact: 'x' })
    expect(
      await screen.findByText('Tell support in a few words what happened (at least 10 characters)'),
    ).toBeVisible()
    expect(
      screen.getByText('Say how support can reach you (a phone number, a desk, a colleague)'),
    ).toBeVisible()
    expect((await services.recovery.list({ status: 'all', limit: 10 })).requests).toHaveLength(0)

    for (const label of ['What happened', 'How can support reach you'])
      await user.clear(screen.getByLabelText(label))
    await askSupport(user, ASK)
    expect(await screen.findByRole('status')).toHaveTextContent(
      `If an account uses ${NOA}, support now has your request and will contact you as you asked.`,
    )
    expect(screen.getByText(/Then they give you a temporary access code/)).toHaveTextContent(
      /^Support will contact you as you asked and check who you are\./,
    )

    // The request waits for an agent: about Noa, to recover both the password and the authenticator.
    const [request] = (await services.recovery.list({ status: 'live', limit: 10 })).requests
    expect(request).toMatchObject({ status: 'open', purpose: 'both', user: { email: NOA } })
    const requestId = request!.id
    expect(await services.recovery.detail(requestId, await ownerActor(backend))).toMatchObject(ASK)

    // The owner, as a support agent: two identity checks, the approval, then a code shown to them.
    const agent = await ownerAgent(real)
    await agent.check(requestId, ['callback_known_number', 'photo_id'])
    await agent.approve(requestId)
    const issued = await agent.issueCode(requestId)
    if (issued.delivery !== 'agent') throw new Error('expected the code to be shown to the agent')

    await user.click(screen.getByRole('button', { name: 'I have a temporary access code from support' }))
    expect(screen.getByRole('heading', { name: 'Sign in with a temporary access code' })).toBeVisible()
    expect(screen.getByLabelText('Email')).toHaveValue(NOA)

    await fillAccessCode(user, { code: 'ABCDE' })
    expect(await screen.findByText('Enter the temporary access code support gave you')).toBeVisible()

    await fillAccessCode(user, { code: WRONG_CODE })
    expect(await screen.findByRole('alert')).toHaveTextContent('This temporary access code is not correct.')
    expect(screen.getByLabelText('New password')).toHaveValue('')
    expect(screen.getByLabelText('New password again')).toHaveValue('')

    await fillAccessCode(user, { code: issued.code, again: 'not-the-same-password-at-all' })
    expect(await screen.findByText('The two new passwords are not the same')).toBeVisible()

    // Main's password rules answer at the new password; the code is not spent by it.
    await fillAccessCode(user, { code: issued.code, password: '1qaz2wsx3edc' })
    expect(
      await screen.findByText('This password is in a list of common passwords; choose another.'),
    ).toBeVisible()
    expect(screen.getByLabelText('New password')).toHaveAttribute('aria-invalid', 'true')

    // As read out: lower case, spaces between the groups.
    await fillAccessCode(user, { code: issued.code.toLowerCase().replace(/-/g, ' ') })
    expect(await screen.findByRole('heading', { name: 'Set up two-factor authentication' })).toBeVisible()
    expect(screen.getByText(/Your old authenticator app and backup codes no longer work/)).toBeVisible()
    expect(screen.getByText(/Set up an authenticator app on your new phone/)).toHaveTextContent(`for ${NOA}.`)
    expect(value(await api.session.state()).phase).toBe('enroll-required')
    expect(value(await api.twoFactor.status()).enrolled).toBe(false)
    expect((await services.recovery.detail(requestId, await ownerActor(backend))).status).toBe('completed')

    // The new password is the one the wizard asks for; the old one is gone.
    await enrollInWizard(user, clock, NEW_PASSWORD)
    expect(value(await api.twoFactor.status()).enrolled).toBe(true)
    value(await api.auth.logout())
    expect(await api.auth.login({ email: NOA, password: OLD_PASSWORD })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_CREDENTIALS' },
    })
  })

  it('answers the same for an address without an account and files nothing; a code for it is refused', async () => {
    const { user, backend } = await noaLostBoth()
    const services = backend.services()
    // From the answer of "Send a reset code" too.
    await user.type(screen.getByLabelText('Email'), 'nobody@example.com')
    await user.click(screen.getByRole('button', { name: 'Send a reset code' }))
    await screen.findByRole('status')
    await user.click(screen.getByRole('button', { name: 'I also lost my authenticator app' }))
    expect(screen.getByLabelText('Email')).toHaveValue('nobody@example.com')
    await askSupport(user, ASK)
    expect(await screen.findByRole('status')).toHaveTextContent(
      'If an account uses nobody@example.com, support now has your request and will contact you as you asked.',
    )
    expect((await services.recovery.list({ status: 'all', limit: 10 })).requests).toHaveLength(0)

    await user.click(screen.getByRole('button', { name: 'I have a temporary access code from support' }))
    expect(screen.getByLabelText('Email')).toHaveValue('nobody@example.com')
    await fillAccessCode(user, { code: WRONG_CODE })
    expect(await screen.findByRole('alert')).toHaveTextContent('This temporary access code is not correct.')

    await user.click(screen.getByRole('button', { name: 'Back to sign in' }))
    expect(screen.getByRole('heading', { name: 'Sign in to Tessera' })).toBeVisible()
  })

  it('goes straight to the access code from "Forgot password?", and checks the email first', async () => {
    const { user } = await noaLostBoth()
    await user.click(screen.getByRole('button', { name: 'I have a temporary access code from support' }))
    expect(screen.getByRole('heading', { name: 'Sign in with a temporary access code' })).toBeVisible()
    expect(screen.getByLabelText('Email')).toHaveValue('')
    await fillAccessCode(user, { code: WRONG_CODE })
    expect(await screen.findByText('Enter an email address')).toBeVisible()
    await user.click(screen.getByRole('button', { name: 'Back to sign in' }))

    await user.click(await screen.findByRole('button', { name: 'Forgot password?' }))
    await user.click(screen.getByRole('button', { name: 'I also lost my authenticator app' }))
    await askSupport(user, ASK)
    expect(await screen.findByText('Enter an email address')).toBeVisible()
  })
})
