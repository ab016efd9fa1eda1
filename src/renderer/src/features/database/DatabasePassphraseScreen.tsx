import { zodResolver } from '@hookform/resolvers/zod'
import { useTranslation } from 'react-i18next'
import { useForm } from 'react-hook-form'
import type { z } from 'zod'
import { databaseUnlockInputSchema } from '../../../../shared/schemas'
import { useServerError } from '../../forms'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { Field } from '../../ui/Field'
import { AuthLayout } from '../../ui/Layout'
import { useUnlockDatabase } from './queries'

type Values = z.infer<typeof databaseUnlockInputSchema>

/** The database key comes from a passphrase: ask for it before anything else can happen. */
export function DatabasePassphraseScreen() {
  const { t } = useTranslation('database')
  const unlock = useUnlockDatabase()
  const { register, handleSubmit, formState, resetField, setFocus, setError } = useForm<Values>({
    resolver: zodResolver(databaseUnlockInputSchema),
    defaultValues: { passphrase: '' },
  })
  // Every refusal is for the alert: a wrong passphrase is not this field's format.
  const { error: alert, submit } = useServerError(setError, [])

  const onSubmit = handleSubmit(async ({ passphrase }) => {
    const done = await submit(() => unlock.mutateAsync(passphrase))
    resetField('passphrase', { defaultValue: '' })
    if (!done) setFocus('passphrase')
  })

  return (
    <AuthLayout title={t('unlock.title')} intro={t('unlock.intro')}>
      <form onSubmit={onSubmit} noValidate className="form">
        <Alert>{alert}</Alert>
        <Field
          label={t('unlock.passphrase')}
          type="password"
          autoComplete="current-password"
          autoFocus
          {...register('passphrase')}
          error={formState.errors.passphrase ? t('unlock.required') : undefined}
        />
        <Button type="submit" busy={formState.isSubmitting}>
          {formState.isSubmitting ? t('unlock.opening') : t('unlock.open')}
        </Button>
      </form>
    </AuthLayout>
  )
}
