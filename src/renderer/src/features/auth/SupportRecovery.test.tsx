import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { closeAll, OWNER, renderWithApi } from '../../test/harness'
import { ownerWithPhone, PHONE_MASKED } from '../../test/phone'
import { addPerson, agentWork, ASK } from '../../test/recovery'
import { chooseOtherWay, ownerWithTwoFactor, signInPasswordOnly } from '../../test/two-factor'
import { value } from '../../../../../test/fixtures/results'

afterEach(closeAll)

describe('Support recovery at the second login step', () => {
  it('asks support for help: the form’s messages, then the request number and back to sign-in', async () => {
    const real = await ownerWithTwoFactor()
    await signInPasswordOnly(real)
    const user = userEvent.setup()
    renderWithApi(real.api)
    await chooseOtherWay(user, 'Ask support for help')

    await user.type(screen.getByLabelText('What happened'), 'Lost it')
    await user.click(screen.getByRole('button', { name: 'Send the request to support' }))
    expect(
      await screen.findByText('Tell support in a few words what happened (at least 10 characters)'),
    ).toBeVisible()
    expect(
      screen.getByText('Say how support can reach you (a phone number, a desk, a colleague)'),
    ).toBeVisible()
    expect((await real.backend.services().recovery.list({ status: 'all', limit: 10 })).requests).toHaveLength(
      0,
    )

    await user.clear(screen.getByLabelText('What happened'))
    await user.type(screen.getByLabelText('What happened'), ASK.message)
    await user.type(screen.getByLabelText('How can support reach you'), ASK.contact)
    await user.click(screen.getByRole('button', { name: 'Send the request to support' }))

    expect(await screen.findByRole('heading', { name: 'Your request is with support' })).toBeVisible()
    expect(screen.getByText('#1')).toBeVisible()
    expect(screen.getByText(/Support will verify your identity before anything happens/)).toBeVisible()
    expect(screen.getByRole('status')).toHaveTextContent(
      'You have no verified emergency phone, so no text message was sent.',
    )
    // Main ended the attempt; the confirmation stays until the person leaves it.
    expect(value(await real.api.session.state()).phase).toBe('signed-out')
    const [request] = (await real.backend.services().recovery.list({ status: 'live', limit: 10 })).requests
    expect(request).toMatchObject({ id: 1, status: 'open', user: { email: OWNER.email } })

    await user.click(screen.getByRole('button', { name: 'Back to sign-in' }))
    expect(await screen.findByRole('heading', { name: 'Sign in to Tessera' })).toBeVisible()
  })

  it('says the verified emergency phone was told, and refuses a second live request', async () => {
    const real = await ownerWithPhone()
    await signInPasswordOnly(real)
    const user = userEvent.setup()
    renderWithApi(real.api)
    await chooseOtherWay(user, 'Ask support for help')
    await user.type(screen.getByLabelText('What happened'), ASK.message)
    await user.type(screen.getByLabelText('How can support reach you'), ASK.contact)
    await user.click(screen.getByRole('button', { name: 'Send the request to support' }))
    expect(await screen.findByRole('status')).toHaveTextContent(
      `We told your emergency phone ${PHONE_MASKED} about this request.`,
    )
    await user.click(screen.getByRole('button', { name: 'Back to sign-in' }))

    // Signing in again on the same screen: one live request at a time.
    expect(await screen.findByRole('heading', { name: 'Sign in to Tessera' })).toBeVisible()
    await user.type(screen.getByLabelText('Email'), OWNER.email)
    await user.type(screen.getByLabelText('Password'), OWNER.password)
    await user.click(screen.getByRole('button', { name: 'Sign in' }))
    await chooseOtherWay(user, 'Ask support for help')
    await user.type(screen.getByLabelText('What happened'), ASK.message)
    await user.type(screen.getByLabelText('How can support reach you'), ASK.contact)
    await user.click(screen.getByRole('button', { name: 'Send the request to support' }))
    expect(await screen.findByRole('alert')).toHaveTextContent(
      /You already asked support for help on .+ \(request #1, open\)\. Support will contact you\./,
    )
  })

  it('takes the temporary access code from support into enrolling a new authenticator', async () => {
    const real = await ownerWithTwoFactor()
    const services = real.backend.services()
    await services.policy.update({ recoveryCoolingOffMinutes: 0 }, null)
    // An owner's request is worked by owners only: two independent ones, each account older than a week.
    const sam = await addPerson(real, 'sam@example.com', 'Sam Owner', 'owner')
    const sue = await addPerson(real, 'sue@example.com', 'Sue Owner', 'owner')
    real.clock.advance(8 * 24 * 60 * 60_000)
    const agent = agentWork(real, sam)
    await signInPasswordOnly(real)
    const { requestId } = value(await real.api.auth.requestRecovery(ASK))
    await agent.check(requestId, ['callback_known_number', 'photo_id'])
    await agent.approve(requestId)
    await agentWork(real, sue).approve(requestId)
    // However short the policy's cooling-off, an owner's lasts at least 15 minutes.
    real.clock.advance(15 * 60_000)
    const issued = await agent.issueCode(requestId)
    if (issued.delivery !== 'agent') throw new Error('expected the code to be shown to the agent')

    await signInPasswordOnly(real)
    const user = userEvent.setup()
    renderWithApi(real.api)
    await chooseOtherWay(user, 'Ask support for help')
    await user.click(screen.getByRole('button', { name: 'I have a temporary access code from support' }))
    expect(screen.getByRole('heading', { name: 'Enter your temporary access code' })).toHaveFocus()
    const field = screen.getByLabelText('Temporary access code')
    await user.type(field, 'ABCDE')
    await user.click(screen.getByRole('button', { name: 'Continue' }))
    expect(await screen.findByText('Enter the temporary access code support gave you')).toBeVisible()

    await user.clear(field)
    await user.type(field, 'A'.repeat(26))
    await user.click(screen.getByRole('button', { name: 'Continue' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('This temporary access code is not correct.')
    expect(screen.getByLabelText('Temporary access code')).toHaveValue('')

    // As read out: lower case, spaces between the groups.
    await user.type(
      screen.getByLabelText('Temporary access code'),
      issued.code.toLowerCase().replace(/-/g, ' '),
    )
    await user.click(screen.getByRole('button', { name: 'Continue' }))
    expect(await screen.findByRole('heading', { name: 'Set up two-factor authentication' })).toBeVisible()
    expect(screen.getByText(/Your old authenticator app and backup codes no longer work/)).toBeVisible()
    expect(value(await real.api.twoFactor.status()).enrolled).toBe(false)
    expect((await services.recovery.detail(requestId, sam)).status).toBe('completed')
  })
})
