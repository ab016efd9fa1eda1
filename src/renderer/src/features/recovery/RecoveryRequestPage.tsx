import { useTranslation } from 'react-i18next'
import type { RecoveryRequestDetailDto } from '../../../../shared/dto'
import { messageOf } from '../../api'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { EventList } from '../../ui/EventList'
import { Panel } from '../../ui/Layout'
import { useNavigate } from '../shell/navigation'
import { dateTime } from '../users/format'
import { roleName } from './format'
import { IdentityChecks, RecoveryNotes } from './IdentityChecks'
import { useRecoveryRequest } from './queries'
import { RecoveryDecision } from './RecoveryDecision'
import { NextStep, RecoveryFacts } from './RecoveryFacts'
import { nextStep } from './nextStep'
import { RecoveryStatusBadge } from './RecoveryStatusBadge'
import styles from './RecoveryRequestPage.module.css'

function PersonPanel({ detail }: { detail: RecoveryRequestDetailDto }) {
  const { t } = useTranslation('recovery')
  const navigate = useNavigate()
  const u = detail.user
  return (
    <Panel
      title={t('request.person.title')}
      actions={
        <Button variant="secondary" onClick={() => navigate({ page: 'user', userId: u.id })}>
          {t('request.person.open')}
        </Button>
      }
    >
      <dl className="facts">
        <dt>{t('request.person.name')}</dt>
        <dd>{u.name}</dd>
        <dt>{t('request.person.email')}</dt>
        <dd>{u.email}</dd>
        <dt>{t('request.person.role')}</dt>
        <dd>{roleName(t, u.role)}</dd>
        <dt>{t('request.person.twoFactor')}</dt>
        <dd>
          {detail.twoFactor.enrolled
            ? t('request.person.enrolled', { count: detail.twoFactor.backupCodesRemaining })
            : t('request.person.notEnrolled')}
        </dd>
        <dt>{t('request.person.phone')}</dt>
        <dd className={detail.phone ? 'mono' : 'muted'}>{detail.phone ?? t('request.person.noPhone')}</dd>
        <dt>{t('request.person.filed')}</dt>
        <dd>{dateTime(detail.createdAt)}</dd>
        <dt>{t('request.person.expires')}</dt>
        <dd>{dateTime(detail.expiresAt)}</dd>
      </dl>
    </Panel>
  )
}

function RequestPanel({ detail }: { detail: RecoveryRequestDetailDto }) {
  const { t } = useTranslation('recovery')
  return (
    <Panel title={t('request.theirs.title')}>
      <dl className="facts">
        <dt>{t('request.theirs.toReset')}</dt>
        <dd>{t(`request.theirs.purpose.${detail.purpose}`)}</dd>
        <dt>{t('request.theirs.message')}</dt>
        <dd className="prewrap">{detail.message}</dd>
        <dt>{t('request.theirs.contact')}</dt>
        <dd className="prewrap">{detail.contact}</dd>
      </dl>
      <p className={`muted small ${styles.warning}`}>{t('request.theirs.warning')}</p>
    </Panel>
  )
}

/** One recovery request: who asks, what they said, the identity checks, notes, the decision and history. */
export function RecoveryRequestPage({ requestId }: { requestId: number }) {
  const { t } = useTranslation('recovery')
  const navigate = useNavigate()
  const query = useRecoveryRequest(requestId)
  const detail = query.data

  return (
    <div className="page">
      <div>
        <Button variant="ghost" className="link-button" onClick={() => navigate({ page: 'recovery' })}>
          {t('request.back')}
        </Button>
      </div>
      {query.isPending && <p className="muted">{t('loading')}</p>}
      {query.isError && <Alert>{messageOf(query.error)}</Alert>}
      {detail && (
        <>
          <div className={`page-title ${styles.titleStart}`}>
            <h1>{t('request.heading', { id: detail.id, name: detail.user.name })}</h1>
            <RecoveryStatusBadge status={detail.status} />
          </div>
          <NextStep text={nextStep(detail, t)} />
          <PersonPanel detail={detail} />
          <RecoveryFacts detail={detail} />
          <RequestPanel detail={detail} />
          <IdentityChecks detail={detail} />
          <RecoveryNotes detail={detail} />
          <RecoveryDecision detail={detail} />
          <Panel title={t('request.history')}>
            <EventList events={detail.events} label={t('request.historyLabel')} />
          </Panel>
        </>
      )}
    </div>
  )
}
