import { useId, useState } from 'react'
import { Trans, useTranslation } from 'react-i18next'
import type { PasswordAdminResetDto } from '../../../../shared/dto'
import { Button } from '../../ui/Button'
import { Dialog } from '../../ui/Dialog'
import { useNavigate } from '../shell/navigation'
import { realSchedule, type Schedule } from '../two-factor/backupCodesOut'
import { dateTime, type UsersT } from './format'
import { ShownOnceCode } from './ShownOnceCode'

const marks = { strong: <strong />, em: <em /> }

/** How the person uses a reset code, said wherever one is given. */
const HowToUse = ({ t }: { t: UsersT }) => <Trans t={t} i18nKey="reset.howToUse" components={marks} />

/** Shown once: Copy (the clipboard is cleared again), and Done only once they say it was passed on. */
function ShownCode({
  name,
  code,
  expiresAt,
  onDone,
  schedule,
}: {
  name: string
  code: string
  expiresAt: number
  onDone: () => void
  schedule: Schedule
}) {
  const { t } = useTranslation('users')
  const checkId = useId()
  const [given, setGiven] = useState(false)
  return (
    // No onClose: neither Escape nor a stray click closes it, the code would be gone for good.
    <Dialog title={t('reset.shownTitle')}>
      <div className="form">
        <p>
          <Trans t={t} i18nKey="reset.giveCode" values={{ name }} components={marks} />
        </p>
        <ShownOnceCode code={code} label={t('reset.label')} schedule={schedule}>
          <p className="muted">
            {t('reset.worksOnce', { until: dateTime(expiresAt) })} <HowToUse t={t} />
          </p>
        </ShownOnceCode>
        <div className="check">
          <input id={checkId} type="checkbox" checked={given} onChange={(e) => setGiven(e.target.checked)} />
          <label htmlFor={checkId}>{t('reset.given')}</label>
        </div>
        <div className="form-actions">
          <Button disabled={!given} onClick={onDone}>
            {t('reset.hide')}
          </Button>
        </div>
      </div>
    </Dialog>
  )
}

/**
 * What "Reset password" gave: the code went by email; or it is shown once, here only (it lives in the
 * parent's state, and Done drops it for good); or a recovery request waits for two approvers.
 */
export function PasswordResetResult({
  name,
  result,
  onDone,
  schedule = realSchedule,
}: {
  name: string
  result: PasswordAdminResetDto
  onDone: () => void
  schedule?: Schedule
}) {
  const { t } = useTranslation('users')
  const navigate = useNavigate()
  switch (result.outcome) {
    case 'emailed':
      return (
        <Dialog title={t('reset.sentTitle')} onClose={onDone}>
          <div className="form">
            <div role="status" className="alert alert-ok">
              <Trans t={t} i18nKey="reset.sentTo" values={{ to: result.to }} components={marks} />
            </div>
            <p>
              {t('reset.notSeen', { until: dateTime(result.expiresAt) })} <HowToUse t={t} />{' '}
              {t('reset.ifMissing')}
            </p>
            <div className="form-actions">
              <Button onClick={onDone}>{t('done')}</Button>
            </div>
          </div>
        </Dialog>
      )
    case 'shown':
      return (
        <ShownCode
          name={name}
          code={result.code}
          expiresAt={result.expiresAt}
          onDone={onDone}
          schedule={schedule}
        />
      )
    case 'pending':
      return (
        <Dialog title={t('reset.pendingTitle', { id: result.requestId })} onClose={onDone}>
          <div className="form">
            <p>
              <strong>{t('reset.pendingApprovers', { id: result.requestId })}</strong>
            </p>
            <p>{t('reset.pendingBody', { name })}</p>
            <div className="form-actions">
              <Button onClick={() => navigate({ page: 'recovery-request', requestId: result.requestId })}>
                {t('reset.openRequest', { id: result.requestId })}
              </Button>
              <Button variant="secondary" onClick={onDone}>
                {t('close')}
              </Button>
            </div>
          </div>
        </Dialog>
      )
  }
}
