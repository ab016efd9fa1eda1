import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { smsCodeSchema, type SmsDelivery } from '../../../../shared/schemas'
import { api, ApiFailure, isSessionGone, messageOf, unwrap } from '../../api'
import { useSessionUpdate } from '../../session/queries'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { SmsCodeStatus } from '../phone/SmsCodeStatus'
import { AppCodeField } from '../two-factor/AppCodeField'

export const NO_PHONE = 'No verified emergency phone — ask support for help, or use a backup code.'

/** Our words for the refusals a person can act on; main's message for the rest (THROTTLED says when). */
function sendError(e: unknown): string {
  if (e instanceof ApiFailure && e.code === 'NOT_FOUND') return NO_PHONE
  return messageOf(e)
}

/**
 * "I lost my device": a login code to the verified emergency phone. Once it is accepted main has revoked
 * the old authenticator and the session may only enroll a new one; re-reading the session shows that.
 */
export function LostDevice({ onRecovered }: { onRecovered: () => void }) {
  const { refresh } = useSessionUpdate()
  const [sentTo, setSentTo] = useState<string | null>(null)
  const [delivery, setDelivery] = useState<SmsDelivery | undefined>(undefined)
  const [sending, setSending] = useState(false)
  const [alert, setAlert] = useState<string | null>(null)
  const { register, handleSubmit, formState, resetField, setError, setFocus } = useForm<{ code: string }>({
    defaultValues: { code: '' },
  })

  const send = async (): Promise<void> => {
    setAlert(null)
    setSending(true)
    try {
      const sent = await unwrap(api().auth.sendSmsCode())
      setSentTo(sent.masked)
      setDelivery(sent.delivery)
    } catch (e) {
      setAlert(sendError(e))
      if (isSessionGone(e)) await refresh()
    } finally {
      setSending(false)
    }
  }

  const onSubmit = handleSubmit(async ({ code }) => {
    setAlert(null)
    const checked = smsCodeSchema.safeParse(code)
    if (!checked.success) {
      setError('code', { message: checked.error.issues[0]?.message ?? 'Enter the code' })
      return
    }
    try {
      await unwrap(api().auth.verifySmsCode({ code: checked.data }))
      onRecovered()
      await refresh()
    } catch (e) {
      setAlert(messageOf(e))
      if (isSessionGone(e)) await refresh()
      resetField('code', { defaultValue: '', keepError: true })
      setFocus('code')
    }
  })

  return (
    <div className="form">
      <p>
        We can send a code to your verified emergency phone. Signing in with it turns off your old
        authenticator app and backup codes, and you set up a new authenticator right away.
      </p>
      <Alert>{alert}</Alert>
      {sentTo === null ? (
        <Button onClick={() => void send()} busy={sending}>
          {sending ? 'Sending…' : 'Send a code to my emergency phone'}
        </Button>
      ) : (
        <form onSubmit={onSubmit} noValidate className="form">
          <SmsCodeStatus masked={sentTo} delivery={delivery} />
          <AppCodeField
            label="Code from the SMS"
            autoFocus
            {...register('code')}
            error={formState.errors.code?.message}
          />
          <Button type="submit" busy={formState.isSubmitting}>
            {formState.isSubmitting ? 'Checking…' : 'Verify'}
          </Button>
          <Button variant="ghost" className="link-button" onClick={() => void send()} busy={sending}>
            Send a new code
          </Button>
        </form>
      )}
    </div>
  )
}
