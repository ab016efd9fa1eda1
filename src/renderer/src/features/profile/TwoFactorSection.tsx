import { useState } from 'react'
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
            New backup codes
          </Button>
          <Button variant="secondary" onClick={() => setOpen('turn-off')}>
            Turn off
          </Button>
        </>
      ) : (
        <Button onClick={() => setOpen('wizard')}>Enable</Button>
      )
    ) : null

  return (
    <Panel title="Two-factor authentication" actions={actions}>
      {status.isPending && <p className="muted">Loading…</p>}
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
  return (
    <>
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          {s.enrolled && s.enrolledAt !== null ? (
            <strong className="status-on">On since {dateOf(s.enrolledAt)}</strong>
          ) : (
            <strong className="status-off">Off</strong>
          )}
          {s.required && <span className="muted"> · required by your administrator</span>}
        </dd>
        {s.enrolled && (
          <>
            <dt>Backup codes</dt>
            <dd>
              {s.backupCodesRemaining}/{s.backupCodesTotal} left
            </dd>
          </>
        )}
      </dl>
      {!s.enrolled && (
        <p className="muted panel-footer">
          With two-factor authentication, signing in needs your password and a code from an authenticator app
          on your phone.
        </p>
      )}
      {s.enrolled && s.slots.length > 0 && <BackupSlotList slots={s.slots} />}
    </>
  )
}
