import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { SessionUser, TwoFactorStatusDto } from '../../../../shared/dto'
import { messageOf } from '../../api'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { Panel } from '../../ui/Layout'
import { EnrollmentWizard } from '../two-factor/EnrollmentWizard'
import { useRefreshTwoFactorStatus, useTwoFactorStatus } from '../two-factor/queries'
import { RegenerateCodesDialog } from '../two-factor/RegenerateCodesDialog'
import { TurnOffDialog } from '../two-factor/TurnOffDialog'
import { BackupSlotList } from '../two-factor/BackupSlotList'
import { formatDate } from '../../format/time'

type Open = 'wizard' | 'regenerate' | 'turn-off' | null

const dateOf = (at: number): string => formatDate(at)

/** Status of the person's own 2FA and the ways to change it: enable, new backup codes, turn off. */
export function TwoFactorSection({ user }: { user: SessionUser }) {
  const { t } = useTranslation('profile')
  const status = useTwoFactorStatus()
  const refreshStatus = useRefreshTwoFactorStatus()
  const [open, setOpen] = useState<Open>(null)
  const close = (): void => setOpen(null)
  const s = status.data

  const actions =
    s && open !== 'wizard' ? (
      s.enrolled ? (
        <>
          <Button variant="secondary" onClick={() => setOpen('regenerate')}>
            {t('twoFactor.newCodes')}
          </Button>
          <Button variant="secondary" onClick={() => setOpen('turn-off')}>
            {t('twoFactor.turnOff')}
          </Button>
        </>
      ) : (
        <Button onClick={() => setOpen('wizard')}>{t('twoFactor.enable')}</Button>
      )
    ) : null

  return (
    <Panel title={t('twoFactor.title')} actions={actions}>
      {status.isPending && <p className="muted">{t('twoFactor.loading')}</p>}
      {status.isError && <Alert>{messageOf(status.error)}</Alert>}
      {s && open === 'wizard' && (
        <EnrollmentWizard
          account={user.email}
          onCancel={close}
          onFinished={() => {
            close()
            void refreshStatus()
          }}
        />
      )}
      {s && open !== 'wizard' && <StatusFacts status={s} />}
      {s && open === 'regenerate' && <RegenerateCodesDialog account={user.email} onClose={close} />}
      {s && open === 'turn-off' && <TurnOffDialog required={s.required} onClose={close} />}
    </Panel>
  )
}

function StatusFacts({ status: s }: { status: TwoFactorStatusDto }) {
  const { t } = useTranslation('profile')
  return (
    <>
      <dl className="facts">
        <dt>{t('twoFactor.status')}</dt>
        <dd>
          {s.enrolled && s.enrolledAt !== null ? (
            <strong className="status-on">{t('twoFactor.onSince', { date: dateOf(s.enrolledAt) })}</strong>
          ) : (
            <strong className="status-off">{t('twoFactor.off')}</strong>
          )}
          {s.required && <span className="muted">{t('twoFactor.required')}</span>}
        </dd>
        {s.enrolled && (
          <>
            <dt>{t('twoFactor.backupCodes')}</dt>
            <dd>{t('twoFactor.left', { remaining: s.backupCodesRemaining, total: s.backupCodesTotal })}</dd>
          </>
        )}
      </dl>
      {!s.enrolled && <p className="muted panel-footer">{t('twoFactor.why')}</p>}
      {s.enrolled && s.slots.length > 0 && <BackupSlotList slots={s.slots} />}
    </>
  )
}
