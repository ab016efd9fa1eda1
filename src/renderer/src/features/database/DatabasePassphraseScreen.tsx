import { zodResolver } from '@hookform/resolvers/zod'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useForm } from 'react-hook-form'
import type { z } from 'zod'
import { databaseUnlockInputSchema } from '../../../../shared/schemas'
import { api, messageOf, unwrap } from '../../api'
import { useSessionUpdate } from '../../session/queries'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { Field } from '../../ui/Field'
import { AuthLayout } from '../../ui/Layout'

type Values = z.infer<typeof databaseUnlockInputSchema>

/** The database key comes from a passphrase: ask for it before anything else can happen. */
export function DatabasePassphraseScreen() {
  const { t } = useTranslation('database')
  const { set } = useSessionUpdate()
  const [alert, setAlert] = useState<string | null>(null)
  const { register, handleSubmit, formState, resetField, setFocus } = useForm<Values>({
    resolver: zodResolver(databaseUnlockInputSchema),
    defaultValues: { passphrase: '' },
  })

  const onSubmit = handleSubmit(async ({ passphrase }) => {
    setAlert(null)
    try {
      set(await unwrap(api().database.unlock({ passphrase })))
    } catch (e) {
      setAlert(messageOf(e))
      setFocus('passphrase')
    } finally {
      resetField('passphrase', { defaultValue: '' })
    }
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
