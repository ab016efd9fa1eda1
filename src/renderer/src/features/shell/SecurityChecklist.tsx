import { useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { messageOf } from '../../api'
import { formatDate } from '../../format/time'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { Panel } from '../../ui/Layout'
import { PhoneSetup } from '../phone/PhoneForms'
import { phoneKeys, usePhoneStatus } from '../phone/queries'
import { EnrollmentWizard } from '../two-factor/EnrollmentWizard'
import { twoFactorKeys, useTwoFactorStatus } from '../two-factor/queries'
import { RegenerateCodesDialog } from '../two-factor/RegenerateCodesDialog'
import styles from './SecurityChecklist.module.css'

/** A set with one code or none left is at risk: the same line the administrators' dashboard draws. */
const FEW_CODES_LEFT = 1

type Open = 'enroll' | 'codes' | 'phone' | null

interface Item {
  id: Exclude<Open, null>
  label: string
  done: boolean
  detail: string
  action: string | null
}

/**
 * A member's home: what keeps their account safe, each item done (✓) or with the action that does it,
 * the first one left to do marked as the next step. The actions run here, without a trip to My profile.
 */
export function SecurityChecklist({
  account,
  justSignedIn,
}: {
  account: string
  /** Signed in with a backup code moments ago: new codes need no password again (main decides). */
  justSignedIn: boolean
}) {
  const { t } = useTranslation('shell')
  const client = useQueryClient()
  const twoFactor = useTwoFactorStatus()
  const phone = usePhoneStatus()
  const [open, setOpen] = useState<Open>(null)
  const refresh = (): void => {
    void client.invalidateQueries({ queryKey: twoFactorKeys.status })
    void client.invalidateQueries({ queryKey: phoneKeys.status })
  }
  const close = (): void => {
    setOpen(null)
    refresh()
  }

  const title = t('checklist.title')
  if (twoFactor.isPending || phone.isPending) {
    return (
      <Panel title={title}>
        <p className="muted">{t('checklist.loading')}</p>
      </Panel>
    )
  }
  if (twoFactor.isError || phone.isError) {
    return (
      <Panel title={title}>
        <Alert>{messageOf(twoFactor.error ?? phone.error)}</Alert>
      </Panel>
    )
  }
  const s = twoFactor.data
  const p = phone.data
  const items: Item[] = [
    {
      id: 'enroll',
      label: t('checklist.twoFactor.label'),
      done: s.enrolled,
      detail:
        s.enrolled && s.enrolledAt !== null
          ? t('checklist.twoFactor.since', { date: formatDate(s.enrolledAt) })
          : t('checklist.twoFactor.off'),
      action: s.enrolled ? null : t('checklist.twoFactor.action'),
    },
    {
      id: 'codes',
      label: s.enrolled
        ? t('checklist.codes.left', { remaining: s.backupCodesRemaining, total: s.backupCodesTotal })
        : t('checklist.codes.label'),
      done: s.enrolled && s.backupCodesRemaining > FEW_CODES_LEFT,
      detail: !s.enrolled
        ? t('checklist.codes.off')
        : s.backupCodesRemaining > FEW_CODES_LEFT
          ? t('checklist.codes.enough')
          : t('checklist.codes.few'),
      action: s.enrolled && s.backupCodesRemaining <= FEW_CODES_LEFT ? t('checklist.codes.action') : null,
    },
    {
      id: 'phone',
      label: t('checklist.phone.label'),
      done: p?.verified === true,
      detail: p?.verified
        ? t('checklist.phone.verified', { phone: p.masked })
        : p?.pendingMasked
          ? t('checklist.phone.pending', { phone: p.pendingMasked })
          : t('checklist.phone.none'),
      action: p?.verified
        ? null
        : p?.pendingMasked
          ? t('checklist.phone.enterCode')
          : t('checklist.phone.add'),
    },
  ]
  const next = items.find((i) => !i.done && i.action)

  if (open === 'enroll') {
    return (
      <Panel title={title}>
        <EnrollmentWizard account={account} onCancel={close} onFinished={close} />
      </Panel>
    )
  }
  if (open === 'phone') {
    return (
      <Panel title={title}>
        <PhoneSetup
          changing={false}
          pendingMasked={p?.verified ? null : (p?.pendingMasked ?? null)}
          onCancel={close}
          onVerified={close}
        />
      </Panel>
    )
  }
  return (
    <Panel title={title}>
      <p className={next ? styles.summary : `${styles.summary} status-on`}>
        {next ? t('checklist.next', { action: next.action }) : t('checklist.allDone')}
      </p>
      <ol className={styles.items}>
        {items.map((item) => {
          const isNext = item === next
          return (
            <li
              key={item.id}
              className={[styles.item, isNext && styles.next].filter(Boolean).join(' ')}
              aria-current={isNext ? 'step' : undefined}
            >
              <span className={item.done ? styles.done : styles.pending} aria-hidden="true">
                {item.done ? '✓' : ''}
              </span>
              <div className={styles.text}>
                <strong>
                  <span className="visually-hidden">
                    {item.done ? t('checklist.done') : t('checklist.toDo')}
                  </span>
                  {item.label}
                </strong>
                <span className="muted">{item.detail}</span>
              </div>
              {item.action && (
                <Button variant={isNext ? 'primary' : 'secondary'} onClick={() => setOpen(item.id)}>
                  {item.action}
                </Button>
              )}
            </li>
          )
        })}
      </ol>
      {open === 'codes' && (
        <RegenerateCodesDialog account={account} justSignedIn={justSignedIn} onClose={close} />
      )}
    </Panel>
  )
}
