import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import { smsCodeSchema, type SmsDelivery } from '../../../../shared/schemas'
import { ApiFailure } from '../../api'
import { useServerError } from '../../forms'
import { i18n } from '../../i18n'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { SmsCodeStatus } from '../phone/SmsCodeStatus'
import { AppCodeField } from '../two-factor/AppCodeField'
import { useSendLoginSmsCode, useVerifyLoginSmsCode } from './queries'

/** Our words for the refusals a person can act on; main's message for the rest (THROTTLED says when). */
function sendError(e: unknown): unknown {
  if (e instanceof ApiFailure && e.code === 'NOT_FOUND') {
    return new ApiFailure({ ...e.error, message: i18n.t('auth:lostDevice.noPhone') })
  }
  return e
}

/**
 * "I lost my device": a login code to the verified emergency phone. Once it is accepted main has revoked
 * the old authenticator and the session may only enroll a new one; re-reading the session shows that.
 */
export function LostDevice({ onRecovered }: { onRecovered: () => void }) {
  const { t } = useTranslation('auth')
  const sendCode = useSendLoginSmsCode()
  const verify = useVerifyLoginSmsCode(onRecovered)
  // Where the last code went: the code field stays for "Send a new code", whatever that answers.
  const [sentTo, setSentTo] = useState<string | null>(null)
  const [delivery, setDelivery] = useState<SmsDelivery | undefined>(undefined)
  const { register, handleSubmit, formState, resetField, setError, setFocus } = useForm<{ code: string }>({
    defaultValues: { code: '' },
  })
  // One alert region for sending and checking; every refusal is read out there.
  const server = useServerError(setError, [])

  const send = (): Promise<boolean> =>
    server.submit(async () => {
      try {
        const sent = await sendCode.mutateAsync()
        setSentTo(sent.masked)
        setDelivery(sent.delivery)
      } catch (e) {
        throw sendError(e)
      }
    })

  const onSubmit = handleSubmit(async ({ code }) => {
    const checked = smsCodeSchema.safeParse(code)
    if (!checked.success) {
      server.clear()
      setError('code', { message: checked.error.issues[0]?.message ?? t('enterCode') })
      return
    }
    if (await server.submit(() => verify.mutateAsync({ code: checked.data }))) return
    resetField('code', { defaultValue: '', keepError: true })
    setFocus('code')
  })

  return (
    <div className="form">
      <p>{t('lostDevice.intro')}</p>
      <Alert>{server.error}</Alert>
      {sentTo === null ? (
        <Button onClick={() => void send()} busy={sendCode.isPending}>
          {sendCode.isPending ? t('sending') : t('lostDevice.send')}
        </Button>
      ) : (
        <form onSubmit={onSubmit} noValidate className="form">
          <SmsCodeStatus masked={sentTo} delivery={delivery} />
          <AppCodeField
            label={t('lostDevice.code')}
            autoFocus
            {...register('code')}
            error={formState.errors.code?.message}
          />
          <Button type="submit" busy={formState.isSubmitting}>
            {formState.isSubmitting ? t('checking') : t('verify')}
          </Button>
          <Button
            variant="ghost"
            className="link-button"
            onClick={() => void send()}
            busy={sendCode.isPending}
          >
            {t('lostDevice.resend')}
          </Button>
        </form>
      )}
    </div>
  )
}
