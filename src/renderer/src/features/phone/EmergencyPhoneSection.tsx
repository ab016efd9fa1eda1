import { useState } from 'react'
import { useTranslation } from 'react-i18next'
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
  const { t } = useTranslation('phone')
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
        {verified ? t('section.change') : t('section.add')}
      </Button>
    ) : null

  return (
    <Panel title={t('section.title')} actions={actions}>
      {status.isPending && <p className="muted">{t('loading')}</p>}
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
            setNotice(t('nowVerified', { phone: masked }))
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
  const { t } = useTranslation('phone')
  return (
    <>
      <dl className="facts">
        <dt>{t('section.number')}</dt>
        <dd>
          {s?.masked ? (
            <>
              <span className="mono">{s.masked}</span>{' '}
              {s.verified && s.verifiedAt !== null ? (
                <strong className="status-on">
                  {t('section.verifiedOn', { date: dateOf(s.verifiedAt) })}
                </strong>
              ) : (
                <strong className="status-off">{t('section.notVerified')}</strong>
              )}
            </>
          ) : (
            <strong className="status-off">{t('section.none')}</strong>
          )}
        </dd>
        {s?.pendingMasked && (
          <>
            <dt>{t('section.waiting')}</dt>
            <dd>
              <span className="mono">{s.pendingMasked}</span>{' '}
              <Button variant="ghost" className="link-button" onClick={() => onEnterCode(s.pendingMasked!)}>
                {t('section.enterCode')}
              </Button>
            </dd>
          </>
        )}
      </dl>
      <p className="muted panel-footer">{t('section.why')}</p>
    </>
  )
}
