import { useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { SessionUser, UserDetailDto } from '../../../../shared/dto'
import { isDualControlled, whyNotActOn, type PersonAction } from '../../../../shared/access'
import { Button } from '../../ui/Button'
import { ConfirmDialog } from '../../ui/ConfirmDialog'
import { Dialog } from '../../ui/Dialog'
import { Field } from '../../ui/Field'
import { useNavigate } from '../shell/navigation'
import { useDeleteUser, useResetTwoFactor, useUserAction } from './queries'
import styles from './DangerZone.module.css'

type Destructive = 'reset' | 'disable' | 'delete'

/**
 * What cannot be taken back in one click, apart from the everyday actions: reset 2FA, disable, delete.
 * Each is confirmed with focus on Cancel; deleting asks for the person's email, typed exactly. Only what
 * the shared rules allow this actor on this person is offered (main checks them again).
 */
export function DangerZone({ actor, detail }: { actor: SessionUser; detail: UserDetailDto }) {
  const { t } = useTranslation('users')
  const navigate = useNavigate()
  const u = detail.user
  const [open, setOpen] = useState<Destructive | null>(null)
  const [pendingRequest, setPendingRequest] = useState<number | null>(null)
  const [typedEmail, setTypedEmail] = useState('')
  const reset = useResetTwoFactor()
  const disable = useUserAction('users.setDisabled')
  const remove = useDeleteUser()
  const close = (): void => setOpen(null)
  const userId = u.id
  const self = u.id === actor.id
  const may = (action: PersonAction) => whyNotActOn(actor, u, action) === null
  const twoApprovers = isDualControlled(u.role)

  const rows: { action: Destructive; title: string; label: string; says: ReactNode }[] = []
  if (detail.twoFactor.enrolled && may('reset-2fa'))
    rows.push({
      action: 'reset',
      title: t('danger.reset.title'),
      label: t('danger.reset.button'),
      says: twoApprovers ? t('danger.reset.saysDual') : t('danger.reset.says'),
    })
  if (u.status === 'active' && !self && may('disable'))
    rows.push({
      action: 'disable',
      title: t('danger.disable.title'),
      label: t('danger.disable.button'),
      says: t('danger.disable.says'),
    })
  if (!self && may('delete'))
    rows.push({
      action: 'delete',
      title: t('danger.delete.title'),
      label: t('danger.delete.button'),
      says: t('danger.delete.says'),
    })

  if (rows.length === 0 && pendingRequest === null) return null
  return (
    <section className={`panel ${styles.zone}`} aria-label={t('danger.title')}>
      <div className="panel-header">
        <h2>{t('danger.title')}</h2>
      </div>
      <ul className={styles.rows}>
        {rows.map((r) => (
          <li key={r.action} className={styles.row}>
            <div>
              <h3>{r.title}</h3>
              <p className="muted">{r.says}</p>
            </div>
            <Button
              variant="secondary"
              className="btn-danger-outline"
              onClick={() => {
                setTypedEmail('')
                setOpen(r.action)
              }}
            >
              {r.label}
            </Button>
          </li>
        ))}
      </ul>

      {open === 'reset' && (
        <ConfirmDialog
          title={t('danger.reset.confirmTitle', { name: u.name })}
          confirmLabel={t('danger.reset.button')}
          danger
          onConfirm={async () => {
            const result = await reset.mutateAsync(userId)
            close()
            setPendingRequest(result.pendingRequestId)
          }}
          onClose={close}
        >
          <p>
            {twoApprovers
              ? t(u.role === 'owner' ? 'danger.reset.bodyOwner' : 'danger.reset.bodyAdmin', { name: u.name })
              : t('danger.reset.body')}
          </p>
        </ConfirmDialog>
      )}
      {pendingRequest !== null && (
        <Dialog
          title={t('danger.pending.title', { id: pendingRequest })}
          onClose={() => setPendingRequest(null)}
        >
          <p>{t('danger.pending.body', { name: u.name })}</p>
          <div className="form-actions">
            <Button onClick={() => navigate({ page: 'recovery-request', requestId: pendingRequest })}>
              {t('danger.pending.open')}
            </Button>
            <Button variant="secondary" onClick={() => setPendingRequest(null)}>
              {t('close')}
            </Button>
          </div>
        </Dialog>
      )}
      {open === 'disable' && (
        <ConfirmDialog
          title={t('danger.disable.confirmTitle', { name: u.name })}
          confirmLabel={t('danger.disable.button')}
          danger
          onConfirm={() => disable.mutateAsync({ userId, disabled: true }).then(close)}
          onClose={close}
        >
          <p>{t('danger.disable.says')}</p>
        </ConfirmDialog>
      )}
      {open === 'delete' && (
        <ConfirmDialog
          title={t('danger.delete.confirmTitle', { name: u.name })}
          confirmLabel={t('danger.delete.confirm')}
          danger
          confirmDisabled={typedEmail !== u.email}
          onConfirm={async () => {
            await remove.mutateAsync(userId)
            navigate({ page: 'users' })
          }}
          onClose={close}
        >
          <p>{t('danger.delete.body', { email: u.email })}</p>
          <Field
            label={t('danger.delete.typeEmail', { email: u.email })}
            value={typedEmail}
            onChange={(e) => setTypedEmail(e.target.value)}
            autoComplete="off"
            spellCheck={false}
          />
        </ConfirmDialog>
      )}
    </section>
  )
}
