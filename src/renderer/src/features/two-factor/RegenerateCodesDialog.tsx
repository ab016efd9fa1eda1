import { zodResolver } from '@hookform/resolvers/zod'
import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { Trans, useTranslation } from 'react-i18next'
import { regenerateBackupCodesInputSchema } from '../../../../shared/schemas'
import { ApiFailure } from '../../api'
import { useServerError } from '../../forms'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { Dialog } from '../../ui/Dialog'
import { Field } from '../../ui/Field'
import { AppCodeField } from './AppCodeField'
import { BackupCodes } from './BackupCodes'
import { useRegenerateBackupCodes } from './queries'

type Values = { password: string; code: string }

/**
 * Password + current app code → a new set of five; the old set stops working at once. `justSignedIn`
 * (offered right after a sign-in with both factors): no fields — main accepts the sign-in for a few
 * minutes; once it no longer does, the password and code are asked after all.
 */
export function RegenerateCodesDialog({
  account,
  justSignedIn = false,
  onClose,
  onCreated,
}: {
  account: string
  justSignedIn?: boolean
  onClose: () => void
  /** The new codes were shown and the person is done with them. */
  onCreated?: () => void
}) {
  const { t } = useTranslation('twoFactor')
  const regenerate = useRegenerateBackupCodes()
  const [codes, setCodes] = useState<string[] | null>(null)
  const [askBoth, setAskBoth] = useState(!justSignedIn)
  const { register, handleSubmit, formState, resetField, setError } = useForm<Values>({
    resolver: zodResolver(regenerateBackupCodesInputSchema),
    defaultValues: { password: '', code: '' },
  })
  // One alert for both forms: a refused one-click attempt stays on screen above the fields it leads to.
  const { error: alert, submit } = useServerError(setError, ['password', 'code'])

  const withSignIn = (): Promise<boolean> =>
    submit(async () => {
      try {
        setCodes((await regenerate.mutateAsync({ justSignedIn: true })).backupCodes)
      } catch (e) {
        // The sign-in is too old (or the console was locked since): the password and code it is.
        if (e instanceof ApiFailure && e.code === 'FORBIDDEN') setAskBoth(true)
        throw e
      }
    })

  const onSubmit = handleSubmit(async (values) => {
    await submit(async () => setCodes((await regenerate.mutateAsync(values)).backupCodes))
    resetField('password', { defaultValue: '', keepError: true })
    resetField('code', { defaultValue: '', keepError: true })
  })

  if (codes) {
    // No onClose, so no Escape: the new codes are shown once, and the old ones no longer work.
    return (
      <Dialog title={t('regenerate.newCodes')}>
        <BackupCodes
          codes={codes}
          account={account}
          onDone={() => {
            onClose()
            onCreated?.()
          }}
        />
      </Dialog>
    )
  }
  const warning = (
    <p>
      <Trans t={t} i18nKey="regenerate.warning" components={{ strong: <strong /> }} />
    </p>
  )
  if (!askBoth) {
    return (
      <Dialog title={t('regenerate.title')} onClose={onClose}>
        <div className="form">
          {warning}
          <p className="muted">{t('regenerate.justSignedIn')}</p>
          <Alert>{alert}</Alert>
          <div className="form-actions">
            <Button onClick={() => void withSignIn()} busy={regenerate.isPending} data-autofocus>
              {t('regenerate.create')}
            </Button>
            <Button variant="secondary" onClick={onClose}>
              {t('cancel')}
            </Button>
          </div>
        </div>
      </Dialog>
    )
  }
  return (
    <Dialog title={t('regenerate.title')} onClose={onClose}>
      <form onSubmit={onSubmit} noValidate className="form">
        {warning}
        <Alert>{alert}</Alert>
        <Field
          label={t('regenerate.password')}
          type="password"
          autoComplete="current-password"
          // Shown in place of the one-click form: focus follows to the first field.
          autoFocus={justSignedIn}
          {...register('password')}
          error={formState.errors.password?.message}
        />
        <AppCodeField
          label={t('code.fromYourApp')}
          {...register('code')}
          error={formState.errors.code?.message}
        />
        <div className="form-actions">
          <Button type="submit" busy={formState.isSubmitting}>
            {t('regenerate.create')}
          </Button>
          <Button variant="secondary" onClick={onClose}>
            {t('cancel')}
          </Button>
        </div>
      </form>
    </Dialog>
  )
}
