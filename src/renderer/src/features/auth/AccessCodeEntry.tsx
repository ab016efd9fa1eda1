import { zodResolver } from '@hookform/resolvers/zod'
import { useForm } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import { accessCodeInputSchema } from '../../../../shared/schemas'
import { useServerError } from '../../forms'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { LongCodeField } from './formParts'
import { useVerifyAccessCode } from './queries'

/**
 * The temporary access code support gave (by SMS or read out). Once main accepts it the old authenticator
 * is revoked and the session may only enroll a new one; re-reading the session shows that.
 */
export function AccessCodeEntry({ onAccepted }: { onAccepted: () => void }) {
  const { t } = useTranslation('auth')
  const verify = useVerifyAccessCode(onAccepted)
  const { register, handleSubmit, formState, resetField, setFocus, setError } = useForm<{ code: string }>({
    resolver: zodResolver(accessCodeInputSchema),
    defaultValues: { code: '' },
  })
  // Every refusal (wrong, used, expired, throttled) is main's message in the alert region.
  const server = useServerError(setError, [])

  const onSubmit = handleSubmit(async ({ code }) => {
    if (await server.submit(() => verify.mutateAsync({ code }))) return
    resetField('code', { defaultValue: '', keepError: true })
    setFocus('code')
  })

  return (
    <form onSubmit={onSubmit} noValidate className="form">
      <p>{t('accessCodeEntry.intro')}</p>
      <Alert>{server.error}</Alert>
      <LongCodeField label={t('accessCode')} {...register('code')} error={formState.errors.code?.message} />
      <Button type="submit" busy={formState.isSubmitting}>
        {formState.isSubmitting ? t('checking') : t('accessCodeEntry.continue')}
      </Button>
    </form>
  )
}
