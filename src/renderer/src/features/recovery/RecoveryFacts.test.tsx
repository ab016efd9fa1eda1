import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { hostname } from 'node:os'
import { fromBase32, totpAt } from '../../../../main/core/totp'
import type { RecoveryRequestDetailDto } from '../../../../shared/dto'
import { i18n } from '../../i18n'
import { closeAll, renderWithApi } from '../../test/harness'
import { addPerson, agentWork, fileRequest } from '../../test/recovery'
import { ownerOnManualClock } from '../../test/two-factor'
import { ownerActor } from '../../test/users'
import { nextStep } from './nextStep'

afterEach(closeAll)

const panel = (name: string) => screen.getByRole('region', { name })
const NOA_PASSWORD = 'person-password-4242'

/** Noa signed in once (from this machine), then set up 2FA; two wrong passwords later. */
async function noaWithHistory() {
  const real = await ownerOnManualClock()
  await real.backend.services().policy.update({ recoveryCoolingOffMinutes: 0, idleLockMinutes: 60 }, null)
  const noa = await addPerson(real, 'noa@example.com', 'Noa Member')
  const s = real.backend.services()
  const client = real.backend.client
  await s.auth.login(noa.email, NOA_PASSWORD, client)
  const signedInAt = real.clock.now()
  const start = await s.twoFactor.startEnrollment(noa, client)
  const params = { secret: fromBase32(start.manualKey), algorithm: 'sha1', digits: 6, period: 30 } as const
  await s.twoFactor.confirmEnrollment(noa.id, await totpAt(params, real.clock.now()), client)
  real.clock.advance(10 * 60_000)
  for (let i = 0; i < 2; i++) await s.auth.login(noa.email, 'not her password', client).catch(() => {})
  const failedAt = real.clock.now()
  real.clock.advance(10 * 60_000)
  return { ...real, noa, signedInAt, failedAt }
}

async function openRequestPage(name: string, requestId: number) {
  const user = userEvent.setup()
  await user.click(await screen.findByRole('button', { name: /^Recovery/ }))
  await user.click((await screen.findAllByRole('button', { name }))[0]!)
  await screen.findByRole('heading', { name: `Request #${requestId}: ${name}` })
  return user
}

describe('The facts beside a recovery request', () => {
  it('shows sign-ins, failures, backup codes with the suggestion, the phone, and a next step that follows the status', async () => {
    const real = await noaWithHistory()
    const { requestId } = await fileRequest(real, real.noa.id)
    renderWithApi(real.api)
    const user = await openRequestPage('Noa Member', requestId)

    const facts = panel('Facts to decide with')
    expect(facts).toHaveTextContent(`Last sign-in`)
    expect(facts).toHaveTextContent(`console on ${hostname()}`)
    expect(facts).toHaveTextContent('Failed sign-ins (last 30 days)2 failures · latest')
    expect(facts).toHaveTextContent('Lockouts (last 30 days)None')
    expect(facts).toHaveTextContent('5 of 5 left')
    expect(facts).toHaveTextContent('Suggest the person signs in with a backup code')
    expect(facts).toHaveTextContent('Emergency phoneNo verified phone')
    expect(facts).toHaveTextContent('Other requestsNone')

    const next = () => screen.getByRole('status', { name: 'Next step' })
    expect(next()).toHaveTextContent(
      'Next step: New request: call Noa Member back on a number from the company directory, then record the identity checks you made.',
    )

    // Two checks recorded (here through the services), the page read afresh.
    await agentWork(real, await ownerActor(real.backend)).check(requestId, ['photo_id', 'manager_confirmed'])
    await user.click(screen.getByRole('button', { name: '← Recovery' }))
    await openRequestPage('Noa Member', requestId)
    await waitFor(() =>
      expect(next()).toHaveTextContent(
        'Enough checks are recorded: approve if you are sure the person asking is Noa Member, or deny.',
      ),
    )

    const decision = panel('Decision')
    await user.click(within(decision).getByRole('button', { name: 'Approve' }))
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Approve' }))
    await waitFor(() =>
      expect(next()).toHaveTextContent(
        'Approved: issue the temporary access code and read it to Noa Member on the channel you verified.',
      ),
    )
    const issue = within(decision).getByRole('button', { name: 'Issue temporary access code' })
    expect(issue).toHaveClass('btn-primary')
    await user.click(issue)
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Issue code' }))
    await screen.findByRole('region', { name: 'Temporary access code' })

    // A code is out: issuing another is the exception, offered as a secondary action.
    await waitFor(() =>
      expect(next()).toHaveTextContent(
        /A temporary access code was issued .+: wait for Noa Member to use it\./,
      ),
    )
    const again = within(decision).getByRole('button', { name: 'Issue again' })
    expect(again).toHaveClass('btn-secondary')
    expect(again).not.toHaveClass('btn-primary')
    expect(within(decision).queryByRole('button', { name: 'Issue temporary access code' })).toBeNull()
    await user.click(again)
    expect(screen.getByRole('dialog')).toHaveTextContent('The code issued earlier stops working.')
  })

  it("lists the person's other requests, each a link to its page", async () => {
    const real = await noaWithHistory()
    const first = await fileRequest(real, real.noa.id)
    await agentWork(real, await ownerActor(real.backend)).deny(first.requestId, 'Could not call her back')
    const second = await fileRequest(real, real.noa.id)
    renderWithApi(real.api)
    const user = await openRequestPage('Noa Member', second.requestId)
    const others = within(panel('Facts to decide with')).getByRole('list', { name: 'Other requests' })
    expect(panel('Facts to decide with')).toHaveTextContent('1 other request')
    expect(others).toHaveTextContent(`Request #${first.requestId} denied, filed`)
    await user.click(within(others).getByRole('button', { name: `Request #${first.requestId}` }))
    expect(
      await screen.findByRole('heading', { name: `Request #${first.requestId}: Noa Member` }),
    ).toBeVisible()
    expect(screen.getByRole('status', { name: 'Next step' })).toHaveTextContent(
      'Closed: the request was denied. Nothing more to do; if Noa Member asks again, a new request comes in.',
    )
  })
})

/** A request's detail as main sends it, for the sentences that need a state hard to reach in a flow. */
function detailIn(over: Partial<RecoveryRequestDetailDto>): RecoveryRequestDetailDto {
  const allowed = { allowed: true, reason: null }
  return {
    id: 7,
    user: { id: 2, email: 'noa@example.com', name: 'Noa Member', role: 'member' },
    status: 'verifying',
    createdAt: 0,
    updatedAt: 0,
    expiresAt: 0,
    checkCount: 0,
    approvals: 0,
    approvalsRequired: 1,
    kind: 'lost_device',
    purpose: '2fa',
    message: '',
    contact: '',
    twoFactor: { enrolled: true, backupCodesRemaining: 0 },
    phone: null,
    checks: [],
    notes: [],
    approvalsBy: [],
    effectiveAt: null,
    coolingOffMinutes: 0,
    deniedReason: null,
    decidedBy: null,
    completedAt: null,
    codes: [],
    actions: { check: true, approve: allowed, deny: true, issueCode: allowed },
    events: [],
    facts: null,
    ...over,
  }
}

describe('The next step', () => {
  const check = { check: 'photo_id' as const, label: '', by: null, at: 0 }
  it('follows every status', () => {
    expect(nextStep(detailIn({ checks: [check] }))).toBe(
      'Record 1 more identity check before approving, or deny the request.',
    )
    expect(
      nextStep(
        detailIn({
          checks: [check, { ...check, check: 'manager_confirmed' }],
          approvals: 1,
          approvalsRequired: 2,
          actions: {
            check: true,
            approve: { allowed: false, reason: 'You already approved this request.' },
            deny: true,
            issueCode: { allowed: false, reason: 'x' },
          },
        }),
      ),
    ).toBe('Waiting for another agent: You already approved this request.')
    expect(
      nextStep(
        detailIn({
          status: 'approved',
          actions: {
            check: false,
            approve: { allowed: false, reason: 'The request is approved.' },
            deny: true,
            issueCode: { allowed: false, reason: 'The cooling-off period lasts until 10:00.' },
          },
        }),
      ),
    ).toBe('Approved. The cooling-off period lasts until 10:00.')
    expect(nextStep(detailIn({ status: 'approved', phone: '+34 ••• ••• 123' }))).toBe(
      'Approved: issue the temporary access code; it goes by SMS to +34 ••• ••• 123.',
    )
    expect(
      nextStep(detailIn({ status: 'completed', actions: { ...detailIn({}).actions, deny: false } })),
    ).toBe(
      'Done: Noa Member signed in with the code and was led to set up a new authenticator. Nothing more to do.',
    )
    expect(nextStep(detailIn({ status: 'expired', actions: { ...detailIn({}).actions, deny: false } }))).toBe(
      'Closed: the request expired before it was completed. If Noa Member still needs help, they ask again.',
    )
    expect(
      nextStep(
        detailIn({
          status: 'open',
          actions: {
            check: false,
            approve: {
              allowed: false,
              reason: 'Nobody may work on a recovery request about their own account.',
            },
            deny: false,
            issueCode: { allowed: false, reason: null },
          },
        }),
      ),
    ).toBe('You cannot work this request. Nobody may work on a recovery request about their own account.')
  })

  it('reads in Spanish, with the plural the number asks for', () => {
    const es = i18n.getFixedT('es', 'recovery')
    expect(nextStep(detailIn({ checks: [check] }), es)).toBe(
      'Registra 1 comprobación de identidad más antes de aprobar, o deniega la solicitud.',
    )
    expect(nextStep(detailIn({ status: 'open', checks: [] }), es)).toBe(
      'Solicitud nueva: llama a Noa Member a un número del directorio de la empresa y registra las comprobaciones de identidad que hagas.',
    )
    expect(nextStep(detailIn({ status: 'approved', phone: '+34 ••• ••• 123' }), es)).toBe(
      'Aprobada: emite el código de acceso temporal; se envía por SMS al +34 ••• ••• 123.',
    )
  })
})
