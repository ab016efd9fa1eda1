import { zodResolver } from '@hookform/resolvers/zod'
import { useId, useState } from 'react'
import { useForm } from 'react-hook-form'
import { Trans, useTranslation } from 'react-i18next'
import type { AccessCodeIssuedDto, RecoveryCodeDto, RecoveryRequestDetailDto } from '../../../../shared/dto'
import { liveRecoveryStatuses, recoveryDenyInputSchema } from '../../../../shared/schemas'
import { useServerError } from '../../forms'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { ConfirmDialog } from '../../ui/ConfirmDialog'
import { Dialog } from '../../ui/Dialog'
import { Panel } from '../../ui/Layout'
import { TextArea } from '../../ui/TextArea'
import { dateTime } from '../users/format'
import { AccessCodeShown } from './AccessCodeShown'
import { agentName, type RecoveryT } from './format'
import { liveCodeOf } from './nextStep'
import { useIssueAccessCode, useRecoveryAction } from './queries'
import listStyles from './RecordedList.module.css'
import styles from './RecoveryDecision.module.css'

const denySchema = recoveryDenyInputSchema.pick({ reason: true })

/** A button main would refuse, shown disabled with main's reason next to it. */
function GuardedButton({
  label,
  allowed,
  reason,
  onClick,
  variant = 'primary',
}: {
  label: string
  allowed: boolean
  reason: string | null
  onClick: () => void
  variant?: 'primary' | 'secondary'
}) {
  const reasonId = useId()
  return (
    <div className={styles.guarded}>
      <Button
        variant={variant}
        disabled={!allowed}
        aria-describedby={!allowed && reason ? reasonId : undefined}
        onClick={onClick}
      >
        {label}
      </Button>
      {!allowed && reason && (
        <p id={reasonId} className="muted small">
          {reason}
        </p>
      )}
    </div>
  )
}

function DenyDialog({ detail, onClose }: { detail: RecoveryRequestDetailDto; onClose: () => void }) {
  const { t } = useTranslation('recovery')
  const { t: ui } = useTranslation('ui')
  const deny = useRecoveryAction('recovery.deny')
  const { register, handleSubmit, formState, setError } = useForm<{ reason: string }>({
    resolver: zodResolver(denySchema),
    defaultValues: { reason: '' },
  })
  const server = useServerError(setError, ['reason'])
  const onSubmit = handleSubmit(async ({ reason }) => {
    if (await server.submit(() => deny.mutateAsync({ requestId: detail.id, reason }))) onClose()
  })
  return (
    <Dialog title={t('decision.denyDialog.title', { id: detail.id })} onClose={onClose}>
      <form onSubmit={onSubmit} noValidate className="form">
        <p>{t('decision.denyDialog.body', { name: detail.user.name })}</p>
        <Alert>{server.error}</Alert>
        <TextArea
          label={t('decision.denyDialog.reason')}
          hint={t('decision.denyDialog.reasonHint')}
          rows={3}
          {...register('reason')}
          error={formState.errors.reason?.message}
        />
        <div className="form-actions">
          <Button type="submit" className="btn-danger" busy={formState.isSubmitting}>
            {t('decision.denyDialog.submit')}
          </Button>
          <Button variant="secondary" onClick={onClose}>
            {ui('cancel')}
          </Button>
        </div>
      </form>
    </Dialog>
  )
}

function ApproveDialog({ detail, onClose }: { detail: RecoveryRequestDetailDto; onClose: () => void }) {
  const { t } = useTranslation('recovery')
  const approve = useRecoveryAction('recovery.approve')
  const [note, setNote] = useState('')
  const last = detail.approvals + 1 >= detail.approvalsRequired
  const minutes = detail.coolingOffMinutes
  const password = detail.purpose === 'password'
  const then =
    minutes === 0
      ? t(password ? 'decision.approveDialog.lastNowPassword' : 'decision.approveDialog.lastNowAccess')
      : t(password ? 'decision.approveDialog.lastLaterPassword' : 'decision.approveDialog.lastLaterAccess', {
          count: minutes,
        })
  return (
    <ConfirmDialog
      title={t('decision.approveDialog.title', { id: detail.id })}
      confirmLabel={t('decision.approveDialog.confirm')}
      onConfirm={() =>
        approve.mutateAsync({ requestId: detail.id, ...(note.trim() ? { note } : {}) }).then(onClose)
      }
      onClose={onClose}
    >
      <p>
        {t('decision.approveDialog.you', { name: detail.user.name, email: detail.user.email })}{' '}
        {last
          ? then
          : t('decision.approveDialog.notLast', {
              n: detail.approvals + 1,
              required: detail.approvalsRequired,
            })}
      </p>
      <TextArea
        label={t('decision.approveDialog.note')}
        rows={2}
        value={note}
        onChange={(e) => setNote(e.target.value)}
      />
    </ConfirmDialog>
  )
}

function IssueDialog({
  detail,
  onIssued,
  onClose,
}: {
  detail: RecoveryRequestDetailDto
  onIssued: (issued: AccessCodeIssuedDto) => void
  onClose: () => void
}) {
  const { t } = useTranslation('recovery')
  const issue = useIssueAccessCode()
  const replaces = detail.codes.some((c) => c.usedAt === null && c.revokedAt === null)
  if (detail.purpose === 'password') {
    return (
      <ConfirmDialog
        title={t('decision.issueDialog.titlePassword', { name: detail.user.name })}
        confirmLabel={t('decision.issueDialog.confirmPassword')}
        onConfirm={async () => {
          onIssued(await issue.mutateAsync(detail.id))
          onClose()
        }}
        onClose={onClose}
      >
        <p>{t('decision.issueDialog.bodyPassword', { email: detail.user.email })}</p>
      </ConfirmDialog>
    )
  }
  return (
    <ConfirmDialog
      title={t('decision.issueDialog.title', { name: detail.user.name })}
      confirmLabel={t('decision.issueDialog.confirm')}
      onConfirm={async () => {
        onIssued(await issue.mutateAsync(detail.id))
        onClose()
      }}
      onClose={onClose}
    >
      <p>
        {detail.phone === null
          ? t('decision.issueDialog.noPhone')
          : t('decision.issueDialog.sms', { phone: detail.phone })}
      </p>
      {replaces && <p>{t('decision.issueDialog.replaces')}</p>}
    </ConfirmDialog>
  )
}

function codeState(t: RecoveryT, c: RecoveryCodeDto): string {
  if (c.usedAt !== null) return t('decision.used', { at: dateTime(c.usedAt) })
  if (c.revokedAt !== null) return t('decision.revoked', { at: dateTime(c.revokedAt) })
  return t('decision.validUntil', { at: dateTime(c.expiresAt) })
}

/** Where the request stands, in a sentence. */
function Outcome({ detail }: { detail: RecoveryRequestDetailDto }) {
  const { t } = useTranslation('recovery')
  const password = detail.purpose === 'password'
  switch (detail.status) {
    case 'approved':
      return (
        <p>
          {detail.effectiveAt === null
            ? t('decision.outcome.approved')
            : t(password ? 'decision.outcome.issuablePassword' : 'decision.outcome.issuableAccess', {
                at: dateTime(detail.effectiveAt),
              })}
        </p>
      )
    case 'denied':
      return (
        <p>
          <Trans
            t={t}
            i18nKey="decision.outcome.denied"
            values={{ name: agentName(t, detail.decidedBy), reason: detail.deniedReason }}
            components={{ reason: <span className="prewrap" /> }}
          />
        </p>
      )
    case 'completed': {
      const at = detail.completedAt !== null ? dateTime(detail.completedAt) : ''
      return (
        <p className="status-on">
          {t(password ? 'decision.outcome.completedPassword' : 'decision.outcome.completed', { at })}
        </p>
      )
    }
    case 'expired':
      return <p>{t('decision.outcome.expired', { at: dateTime(detail.expiresAt) })}</p>
    default:
      return <p className="muted">{t('decision.outcome.waiting')}</p>
  }
}

type Open = 'approve' | 'deny' | 'issue' | null

/** Approvals, the outcome, access codes, and the agent's decisions (each behind a confirmation). */
export function RecoveryDecision({ detail }: { detail: RecoveryRequestDetailDto }) {
  const { t } = useTranslation('recovery')
  const [open, setOpen] = useState<Open>(null)
  // The issued code lives here only: leaving the page unmounts it and nothing else keeps it.
  const [issued, setIssued] = useState<AccessCodeIssuedDto | null>(null)
  const live = (liveRecoveryStatuses as readonly string[]).includes(detail.status)
  const deciding = detail.status === 'open' || detail.status === 'verifying'
  const close = (): void => setOpen(null)
  const a = detail.actions
  const issuedBefore = liveCodeOf(detail) !== undefined

  return (
    <Panel title={t('decision.title')}>
      <Outcome detail={detail} />
      <dl className="facts">
        <dt>{t('decision.approvals')}</dt>
        <dd>
          {t('decision.approvalsOf', { approvals: detail.approvals, required: detail.approvalsRequired })}
          {detail.approvalsRequired > 1 && <span className="muted">{t('decision.twoAgents')}</span>}
        </dd>
      </dl>
      {detail.approvalsBy.length > 0 && (
        <ul className={listStyles.list} aria-label={t('decision.approvalsLabel')}>
          {detail.approvalsBy.map((ap, i) => (
            <li key={i}>{t('decision.approvedBy', { name: agentName(t, ap.by), at: dateTime(ap.at) })}</li>
          ))}
        </ul>
      )}
      {detail.codes.length > 0 && (
        <ul className={listStyles.list} aria-label={t('decision.codesLabel')}>
          {detail.codes.map((c, i) => (
            <li key={i}>
              {t(c.delivery === 'sms' ? 'decision.codeSms' : 'decision.codeRead', {
                name: agentName(t, c.issuedBy),
                at: dateTime(c.issuedAt),
                state: codeState(t, c),
              })}
            </li>
          ))}
        </ul>
      )}
      {issued && <AccessCodeShown issued={issued} purpose={detail.purpose} onHide={() => setIssued(null)} />}
      {live && (
        <div className="actions" role="group" aria-label={t('decision.decide')}>
          {deciding && (
            <GuardedButton
              label={t('decision.approve')}
              allowed={a.approve.allowed}
              reason={a.approve.reason}
              onClick={() => setOpen('approve')}
            />
          )}
          {/* Once a code is out, issuing another (which revokes it) is the exception, not the next step. */}
          <GuardedButton
            label={
              issuedBefore
                ? t('decision.issueAgain')
                : detail.purpose === 'password'
                  ? t('decision.issuePassword')
                  : t('decision.issueAccess')
            }
            variant={issuedBefore ? 'secondary' : 'primary'}
            allowed={a.issueCode.allowed}
            reason={a.issueCode.reason}
            onClick={() => setOpen('issue')}
          />
          {a.deny && (
            <div className={styles.guarded}>
              <Button variant="secondary" className="btn-danger-outline" onClick={() => setOpen('deny')}>
                {t('decision.deny')}
              </Button>
            </div>
          )}
        </div>
      )}
      {open === 'approve' && <ApproveDialog detail={detail} onClose={close} />}
      {open === 'deny' && <DenyDialog detail={detail} onClose={close} />}
      {open === 'issue' && <IssueDialog detail={detail} onIssued={setIssued} onClose={close} />}
    </Panel>
  )
}
