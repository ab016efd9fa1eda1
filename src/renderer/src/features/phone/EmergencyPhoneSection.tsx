import { useState } from 'react'
import type { PhoneStatusDto } from '../../../../shared/dto'
import { messageOf } from '../../api'
import { Alert, Notice } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { Panel } from '../../ui/Layout'
import { PhoneSetup } from './PhoneForms'
import { usePhoneStatus } from './queries'
import { formatDate } from '../../format/time'

/** `pendingMasked`: open at the code for a number that is already waiting for it. */
type Step = { kind: 'view' } | { kind: 'setup'; pendingMasked: string | null }

const dateOf = (at: number): string => formatDate(at)

/** My profile → the emergency phone: the masked number, and adding, changing and verifying it. */
export function EmergencyPhoneSection() {
  const status = usePhoneStatus()
  const [step, setStep] = useState<Step>({ kind: 'view' })
  const [notice, setNotice] = useState<string | null>(null)
  const s = status.data
  const verified = s?.verified === true

  const open = (): void => {
    setNotice(null)
    setStep({ kind: 'setup', pendingMasked: null })
  }
  const actions =
    status.isSuccess && step.kind === 'view' ? (
      <Button variant={verified ? 'secondary' : 'primary'} onClick={open}>
        {verified ? 'Change' : 'Add emergency phone'}
      </Button>
    ) : null

  return (
    <Panel title="Emergency phone" actions={actions}>
      {status.isPending && <p className="muted">Loading…</p>}
      {status.isError && <Alert>{messageOf(status.error)}</Alert>}
      <Notice>{notice}</Notice>
      {status.isSuccess && step.kind === 'view' && (
        <PhoneFacts
          status={s ?? null}
          onEnterCode={(masked) => setStep({ kind: 'setup', pendingMasked: masked })}
        />
      )}
      {status.isSuccess && step.kind === 'setup' && (
        <PhoneSetup
          changing={verified}
          pendingMasked={step.pendingMasked}
          onCancel={() => setStep({ kind: 'view' })}
          onVerified={(masked) => {
            setStep({ kind: 'view' })
            setNotice(`${masked} is now your verified emergency phone.`)
          }}
        />
      )}
    </Panel>
  )
}

function PhoneFacts({
  status: s,
  onEnterCode,
}: {
  status: PhoneStatusDto | null
  onEnterCode: (masked: string) => void
}) {
  return (
    <>
      <dl className="facts">
        <dt>Number</dt>
        <dd>
          {s?.masked ? (
            <>
              <span className="mono">{s.masked}</span>{' '}
              {s.verified && s.verifiedAt !== null ? (
                <strong className="status-on">Verified on {dateOf(s.verifiedAt)}</strong>
              ) : (
                <strong className="status-off">Not verified</strong>
              )}
            </>
          ) : (
            <strong className="status-off">None</strong>
          )}
        </dd>
        {s?.pendingMasked && (
          <>
            <dt>Waiting for its code</dt>
            <dd>
              <span className="mono">{s.pendingMasked}</span>{' '}
              <Button variant="ghost" className="link-button" onClick={() => onEnterCode(s.pendingMasked!)}>
                Enter the code
              </Button>
            </dd>
          </>
        )}
      </dl>
      <p className="muted panel-footer">
        If you lose the phone with your authenticator app, a code sent to this number lets you sign in and set
        up a new authenticator.
      </p>
    </>
  )
}
