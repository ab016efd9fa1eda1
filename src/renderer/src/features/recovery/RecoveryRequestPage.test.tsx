import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { recoveryChecks } from '../../../../shared/schemas'
import { ManualClock } from '../../../../main/adapters/clock'
import { value } from '../../../../../test/fixtures/results'
import { connectMailbox } from '../../test/email'
import { closeAll, OWNER, realApi, renderWithApi, setUpOwner } from '../../test/harness'
import { addPerson, agentWork, ASK, fileRequest } from '../../test/recovery'
import { ownerOnManualClock } from '../../test/two-factor'
import { ownerActor } from '../../test/users'

afterEach(closeAll)

const panel = (name: string) => screen.getByRole('region', { name })
const button = (name: string) => within(panel('Decision')).getByRole('button', { name })

/** The owner signed in as the agent, Noa's request filed (no phone, no 2FA), the request's page open. */
async function openRequest() {
  const real = await ownerOnManualClock()
  // Idle lock at its longest: the test moves the clock past the cooling-off hour.
  await real.backend.services().policy.update({ recoveryCoolingOffMinutes: 30, idleLockMinutes: 60 }, null)
  const noa = await addPerson(real, 'noa@example.com', 'Noa Member')
  const { requestId } = await fileRequest(real, noa.id)
  const user = userEvent.setup()
  renderWithApi(real.api)
  await user.click(await screen.findByRole('button', { name: /^Recovery/ }))
  await user.click(await screen.findByRole('button', { name: 'Noa Member' }))
  expect(await screen.findByRole('heading', { name: 'Request #1: Noa Member' })).toBeVisible()
  return { ...real, user, noa, requestId }
}

describe('A recovery request’s page', () => {
  it('needs two identity checks before approving, then the cooling-off, then shows the code once', async () => {
    const { user, backend, clock, noa, requestId } = await openRequest()
    expect(panel('Person')).toHaveTextContent('Not enrolled')
    expect(panel('Person')).toHaveTextContent('None verified')
    expect(panel('Their request')).toHaveTextContent(ASK.message)
    expect(panel('Their request')).toHaveTextContent(ASK.contact)
    expect(button('Approve')).toBeDisabled()
    expect(button('Approve')).toHaveAccessibleDescription(
      'Record at least 2 identity checks before approving (0 so far).',
    )
    expect(button('Issue temporary access code')).toHaveAccessibleDescription(
      'The request is open; only an approved request gets a code.',
    )

    const checks = panel('Identity checks')
    await user.click(within(checks).getByRole('button', { name: 'Record' }))
    expect(await within(checks).findByText('Record at least one identity check or a note')).toBeVisible()

    await user.click(within(checks).getByRole('checkbox', { name: recoveryChecks.photo_id }))
    await user.click(within(checks).getByRole('button', { name: 'Record' }))
    expect(await within(checks).findByText('1 check recorded.')).toBeVisible()
    expect(screen.getAllByText('Verifying')[0]).toBeVisible()
    expect(button('Approve')).toHaveAccessibleDescription(/\(1 so far\)/)
    const recorded = within(checks).getByRole('list', { name: 'Recorded checks' })
    expect(recorded).toHaveTextContent(recoveryChecks.photo_id)
    expect(recorded).toHaveTextContent(OWNER.name)
    // A recorded check is not offered again.
    expect(within(checks).queryByRole('checkbox', { name: recoveryChecks.photo_id })).not.toBeInTheDocument()

    await user.click(within(checks).getByRole('checkbox', { name: recoveryChecks.callback_known_number }))
    await user.type(within(checks).getByLabelText('Note'), 'Called back on the directory number.')
    await user.click(within(checks).getByRole('button', { name: 'Record' }))
    await waitFor(() => expect(button('Approve')).toBeEnabled())
    expect(within(panel('Notes')).getByRole('list', { name: 'Notes' })).toHaveTextContent(
      'Called back on the directory number.',
    )
    expect(within(checks).getByLabelText('Note')).toHaveValue('')

    await user.click(button('Approve'))
    const approve = screen.getByRole('dialog', { name: 'Approve request #1?' })
    expect(approve).toHaveTextContent('after a cooling-off period of 30 minutes')
    await user.click(within(approve).getByRole('button', { name: 'Approve' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument())
    expect(panel('Decision')).toHaveTextContent('1 of 1')
    expect(within(panel('Decision')).getByRole('list', { name: 'Approvals' })).toHaveTextContent(
      `Approved by ${OWNER.name}`,
    )
    expect(screen.queryByRole('button', { name: 'Approve' })).not.toBeInTheDocument()
    expect(button('Issue temporary access code')).toBeDisabled()
    expect(button('Issue temporary access code')).toHaveAccessibleDescription(
      /^The cooling-off period lasts until .+; the code can be issued after that\.$/,
    )

    // Half an hour on, the page read afresh: the code may be issued.
    clock.advance(30 * 60_000)
    await user.click(screen.getByRole('button', { name: '← Recovery' }))
    await user.click(await screen.findByRole('button', { name: 'Noa Member' }))
    await screen.findByRole('heading', { name: 'Request #1: Noa Member' })
    await waitFor(() => expect(button('Issue temporary access code')).toBeEnabled())
    await user.click(button('Issue temporary access code'))
    const confirm = screen.getByRole('dialog', { name: 'Issue a temporary access code for Noa Member?' })
    expect(confirm).toHaveTextContent('no verified emergency phone: the code is shown to you once')
    await user.click(within(confirm).getByRole('button', { name: 'Issue code' }))

    const shown = await screen.findByRole('region', { name: 'Temporary access code' })
    expect(shown).toHaveTextContent('Read this code to the person; it will not be shown again.')
    const codeBox = within(shown).getByLabelText('Code')
    const code = codeBox.textContent!
    // 26 symbols in even groups (5 5 4 4 4 4), never a last group of one; focused for a screen reader.
    expect(code).toMatch(/^[A-Z2-9]{5} [A-Z2-9]{5}( [A-Z2-9]{4}){4}$/)
    expect(codeBox).toHaveFocus()
    const aloud = within(shown).getByRole('button', { name: 'Read it aloud' })
    expect(aloud).toHaveAttribute('aria-expanded', 'false')
    await user.click(aloud)
    const spelled = within(shown).getByRole('list', { name: 'Spelled for reading aloud' })
    expect(within(spelled).getAllByRole('listitem')).toHaveLength(6)
    expect(spelled).toHaveTextContent(
      /^([A-Z2-9]{4,5}((Alfa|Bravo|Charlie|Delta|Echo|Foxtrot|Golf|Hotel|Juliett|Kilo|Lima|Mike|November|Papa|Quebec|Romeo|Sierra|Tango|Uniform|Victor|Whiskey|X-ray|Yankee|Zulu|Two|Three|Four|Five|Six|Seven|Eight|Nine) ?){4,5})+$/,
    )
    await waitFor(() =>
      expect(
        within(panel('Decision')).getByRole('list', { name: 'Temporary access codes' }),
      ).toHaveTextContent(/read out by the agent; valid until/),
    )

    // Leaving the page drops it: coming back shows the request, never the code.
    await user.click(screen.getByRole('button', { name: '← Recovery' }))
    await user.click(await screen.findByRole('button', { name: 'Noa Member' }))
    await screen.findByRole('heading', { name: 'Request #1: Noa Member' })
    expect(screen.queryByRole('region', { name: 'Temporary access code' })).not.toBeInTheDocument()
    expect(document.body.textContent).not.toContain(code.split(' ')[0])

    // The code read out works, once, for Noa.
    const services = backend.services()
    await services.recovery.verifyAccessCode(noa.id, code, backend.client)
    expect(
      (await services.recovery.list({ status: 'completed', limit: 5 })).requests.map((r) => r.id),
    ).toEqual([requestId])
    const events = (await services.audit.list(undefined, 50)).events.map((e) => e.type)
    expect(events).toEqual(expect.arrayContaining(['recovery.approved', 'recovery.code_issued']))
    expect(JSON.stringify((await services.audit.list(undefined, 50)).events)).not.toContain(
      code.replace(/ /g, ''),
    )
  })

  it('denies only with a reason, after confirmation', async () => {
    const { user, backend, requestId } = await openRequest()
    await user.click(button('Deny'))
    const dialog = screen.getByRole('dialog', { name: 'Deny request #1?' })
    await user.click(within(dialog).getByRole('button', { name: 'Deny request' }))
    expect(await within(dialog).findByText('Say why the request is denied')).toBeVisible()
    expect((await backend.services().recovery.list({ status: 'live', limit: 5 })).liveCount).toBe(1)

    // Markup in what an agent writes is text, never elements (the sentence around it is a translation).
    const reason = 'The caller <b>could not</b> be reached back & hung up'
    await user.type(within(dialog).getByLabelText('Reason'), reason)
    await user.click(within(dialog).getByRole('button', { name: 'Deny request' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument())
    expect(panel('Decision')).toHaveTextContent(`Denied by ${OWNER.name}: ${reason}`)
    expect(panel('Decision').querySelector('b')).toBeNull()
    expect(within(panel('Decision')).queryByRole('button')).not.toBeInTheDocument()
    expect(within(panel('Identity checks')).queryByRole('checkbox')).not.toBeInTheDocument()
    // The history names the agent, not a number, and keeps the raw event behind "Details".
    const denied = within(panel('History'))
      .getByText(`${OWNER.name} denied recovery request #${requestId}`, { exact: false })
      .closest('tr')!
    expect(denied).toHaveTextContent(`“${reason}”`)
    expect(within(denied).getByText('Details')).toBeInTheDocument()
    expect(within(denied).getByText(/recovery\.denied/)).not.toBeVisible()
    expect((await backend.services().recovery.list({ status: 'denied', limit: 5 })).requests[0]?.id).toBe(
      requestId,
    )
  })
})

describe('A decision another agent overtook', () => {
  it('says main’s refusal in the dialog, and the dialog can be sent again', async () => {
    const { user, backend, requestId } = await openRequest()
    await user.click(button('Deny'))
    const dialog = screen.getByRole('dialog', { name: 'Deny request #1?' })
    await user.type(within(dialog).getByLabelText('Reason'), 'Could not reach them')
    // Another agent closes the request while this one is still writing.
    const services = backend.services()
    await services.recovery.deny(
      requestId,
      'Denied at the other desk',
      await ownerActor(backend),
      backend.client,
    )
    await user.click(within(dialog).getByRole('button', { name: 'Deny request' }))
    const refused = `Request #${requestId} is denied: you cannot deny it.`
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(refused)
    expect(within(dialog).getByLabelText('Reason')).toHaveValue('Could not reach them')
    // Sent again, the form clears the old message and shows main's answer anew: one alert, not two.
    await user.click(within(dialog).getByRole('button', { name: 'Deny request' }))
    await waitFor(() => expect(within(dialog).getAllByRole('alert')).toHaveLength(1))
    expect(within(dialog).getByRole('alert')).toHaveTextContent(refused)
  })
})

describe('A request to reset an administrator’s password', () => {
  it('takes two approvers, then the reset code goes by email and the request is complete', async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 28, 9, 0, 0))
    const real = await realApi({ clock })
    await setUpOwner(real)
    const mailbox = await connectMailbox(real)
    await real.backend.services().policy.update({ recoveryCoolingOffMinutes: 0, idleLockMinutes: 60 }, null)
    const ada = await addPerson(real, 'ada@example.com', 'Ada Admin', 'admin')
    const ben = await addPerson(real, 'ben@example.com', 'Ben Admin', 'admin')
    const cat = await addPerson(real, 'cat@example.com', 'Cat Admin', 'admin')
    // Approvers' accounts must be a week old.
    clock.advance(8 * 24 * 60 * 60_000)
    const filed = await real.backend.services().passwords.adminReset(ada.id, ben, real.backend.client)
    expect(filed.outcome).toBe('pending')
    const requestId = (filed as { requestId: number }).requestId
    const byCat = agentWork(real, cat)
    await byCat.check(requestId, ['photo_id', 'callback_known_number'])
    await byCat.approve(requestId)

    value(await real.api.auth.login({ email: OWNER.email, password: OWNER.password }))
    const user = userEvent.setup()
    renderWithApi(real.api)
    await user.click(await screen.findByRole('button', { name: /^Recovery/ }))
    await user.click(await screen.findByRole('button', { name: 'Ada Admin' }))
    expect(await screen.findByRole('heading', { name: `Request #${requestId}: Ada Admin` })).toBeVisible()
    expect(panel('Their request')).toHaveTextContent('To resetPassword: a password reset code')
    expect(panel('Decision')).toHaveTextContent('1 of 2')
    await user.click(button('Approve'))
    const approve = screen.getByRole('dialog', { name: `Approve request #${requestId}?` })
    expect(approve).toHaveTextContent(
      'A password reset code can then be issued after a cooling-off period of 15 minutes.',
    )
    await user.click(within(approve).getByRole('button', { name: 'Approve' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument())
    expect(button('Issue password reset code')).toBeDisabled()

    // The cooling-off over (never under 15 minutes for an admin), the page read afresh.
    clock.advance(16 * 60_000)
    await user.click(screen.getByRole('button', { name: '← Recovery' }))
    await user.click(await screen.findByRole('button', { name: 'Ada Admin' }))
    await screen.findByRole('heading', { name: `Request #${requestId}: Ada Admin` })
    await waitFor(() => expect(button('Issue password reset code')).toBeEnabled())
    await user.click(button('Issue password reset code'))
    const confirm = screen.getByRole('dialog', { name: 'Issue a password reset code for Ada Admin?' })
    expect(confirm).toHaveTextContent('It goes by email to ada@example.com')
    await user.click(within(confirm).getByRole('button', { name: 'Issue reset code' }))

    expect(await screen.findByText(/The password reset code was emailed to/)).toHaveTextContent(
      'The password reset code was emailed to ada@example.com. It works once',
    )
    await waitFor(() =>
      expect(panel('Decision')).toHaveTextContent('a password reset code was issued to the person'),
    )
    const code = await mailbox.code('ada@example.com', 'Reset your password')
    expect(document.body.textContent).not.toContain(code)
    const NEW = 'ada-new-harbour-password-44'
    expect(
      await real.backend
        .services()
        .passwords.resetWithCode(
          { email: ada.email, code, newPassword: NEW, confirmPassword: NEW },
          real.backend.client,
        ),
    ).toEqual({ email: ada.email, secondFactorRequired: false })
  })
})
