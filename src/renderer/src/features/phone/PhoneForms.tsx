import { zodResolver } from '@hookform/resolvers/zod'
import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { z } from 'zod'
import type { SmsCodeSentDto } from '../../../../shared/dto'
import { passwordSchema, smsCodeSchema, totpCodeSchema, type SmsDelivery } from '../../../../shared/schemas'
import { api, unwrap } from '../../api'
import { applyServerError } from '../../forms'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { Field } from '../../ui/Field'
import { AppCodeField } from '../two-factor/AppCodeField'
import { useRefreshPhoneStatus } from './queries'
import { SmsCodeStatus } from './SmsCodeStatus'

/**
 * The two forms that set the emergency phone, shared by My profile and the last step of the enrollment
 * wizard: the number (twice) with the password, then the code sent to it by SMS.
 */

export const SMS_WARNING =
  'SMS is the weakest way to sign in: messages can be intercepted or a SIM taken over. Use it only to get back in when your phone is lost.'

/**
 * Entering a number (with the password, and the app code when replacing a verified one), then the code
 * sent to it. Starts at the code when a number is already waiting for one.
 */
export function PhoneSetup({
  changing,
  pendingMasked = null,
  cancelLabel = 'Cancel',
  onCancel,
  onVerified,
}: {
  changing: boolean
  pendingMasked?: string | null
  /** The secondary button of both forms. */
  cancelLabel?: string
  onCancel: () => void
  onVerified: (masked: string) => void
}) {
  const refresh = useRefreshPhoneStatus()
  const [sentTo, setSentTo] = useState<string | null>(pendingMasked)
  const [delivery, setDelivery] = useState<SmsDelivery | undefined>(undefined)
  if (sentTo === null) {
    return (
      <PhoneForm
        changing={changing}
        cancelLabel={cancelLabel}
        onCancel={onCancel}
        onSent={(sent) => {
          setSentTo(sent.masked)
          setDelivery(sent.delivery)
          void refresh()
        }}
      />
    )
  }
  return (
    <VerifyForm
      masked={sentTo}
      delivery={delivery}
      cancelLabel={cancelLabel}
      onCancel={onCancel}
      onVerified={(masked) => {
        void refresh()
        onVerified(masked)
      }}
    />
  )
}

type PhoneValues = {
  number: string
  numberConfirm: string
  notAuthenticatorPhone: boolean
  password: string
  code: string
}
const phoneFormSchema = z.object({
  number: z.string().trim().min(1, 'Enter a phone number'),
  numberConfirm: z.string().trim().min(1, 'Enter the number again'),
  notAuthenticatorPhone: z
    .boolean()
    .refine((v) => v, 'Confirm that this is not the phone with your authenticator app'),
  password: passwordSchema,
  // Checked on submit, and only when changing a verified phone.
  code: z.string(),
})
const phoneFields = ['number', 'numberConfirm', 'notAuthenticatorPhone', 'password', 'code'] as const

function PhoneForm({
  changing,
  cancelLabel,
  onCancel,
  onSent,
}: {
  changing: boolean
  cancelLabel: string
  onCancel: () => void
  onSent: (sent: SmsCodeSentDto) => void
}) {
  const [alert, setAlert] = useState<string | null>(null)
  const { register, handleSubmit, formState, resetField, setError } = useForm<PhoneValues>({
    resolver: zodResolver(phoneFormSchema),
    defaultValues: { number: '', numberConfirm: '', notAuthenticatorPhone: false, password: '', code: '' },
  })
  const errors = formState.errors

  const onSubmit = handleSubmit(async (v) => {
    setAlert(null)
    let code: string | undefined
    if (changing) {
      const checked = totpCodeSchema.safeParse(v.code)
      if (!checked.success) {
        setError('code', { message: checked.error.issues[0]?.message ?? 'Enter the 6-digit code' })
        return
      }
      code = checked.data
    }
    try {
      const sent = await unwrap(
        api().phone.start({
          number: v.number,
          numberConfirm: v.numberConfirm,
          notAuthenticatorPhone: true,
          password: v.password,
          ...(code ? { code } : {}),
        }),
      )
      onSent(sent)
    } catch (e) {
      setAlert(applyServerError(e, setError, phoneFields))
    } finally {
      resetField('password', { defaultValue: '', keepError: true })
      resetField('code', { defaultValue: '', keepError: true })
    }
  })

  return (
    <form onSubmit={onSubmit} noValidate className="form" aria-label="Emergency phone number">
      <p className="alert alert-warning">{SMS_WARNING}</p>
      <Alert>{alert}</Alert>
      <Field
        label="Phone number"
        type="tel"
        autoComplete="tel"
        hint="With the country code, like +34 600 000 123"
        {...register('number')}
        error={errors.number?.message}
      />
      <Field
        label="Phone number again"
        type="tel"
        autoComplete="off"
        {...register('numberConfirm')}
        error={errors.numberConfirm?.message}
      />
      <div className="check">
        <input
          id="phone-not-authenticator"
          type="checkbox"
          aria-invalid={errors.notAuthenticatorPhone ? true : undefined}
          aria-describedby={errors.notAuthenticatorPhone ? 'phone-not-authenticator-error' : undefined}
          {...register('notAuthenticatorPhone')}
        />
        <label htmlFor="phone-not-authenticator">This is not the phone with my authenticator app</label>
      </div>
      {errors.notAuthenticatorPhone?.message && (
        <p id="phone-not-authenticator-error" className="field-error">
          {errors.notAuthenticatorPhone.message}
        </p>
      )}
      <Field
        label="Current password"
        type="password"
        autoComplete="current-password"
        {...register('password')}
        error={errors.password?.message}
      />
      {changing && (
        <AppCodeField
          label="6-digit code from your authenticator app"
          {...register('code')}
          error={errors.code?.message}
        />
      )}
      <div className="form-actions">
        <Button type="submit" busy={formState.isSubmitting}>
          {formState.isSubmitting ? 'Sending…' : 'Send a code'}
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          {cancelLabel}
        </Button>
      </div>
    </form>
  )
}

function VerifyForm({
  masked,
  delivery,
  cancelLabel,
  onCancel,
  onVerified,
}: {
  masked: string
  /** What became of the text message; unknown for a code asked for before this page opened. */
  delivery?: SmsDelivery | undefined
  cancelLabel: string
  onCancel: () => void
  onVerified: (masked: string) => void
}) {
  const [alert, setAlert] = useState<string | null>(null)
  const { register, handleSubmit, formState, resetField, setError, setFocus } = useForm<{ code: string }>({
    defaultValues: { code: '' },
  })

  const onSubmit = handleSubmit(async ({ code }) => {
    setAlert(null)
    const checked = smsCodeSchema.safeParse(code)
    if (!checked.success) {
      setError('code', { message: checked.error.issues[0]?.message ?? 'Enter the code' })
      return
    }
    try {
      const status = await unwrap(api().phone.verify({ code: checked.data }))
      onVerified(status.masked ?? masked)
    } catch (e) {
      setAlert(applyServerError(e, setError, ['code']))
      resetField('code', { defaultValue: '', keepError: true })
      setFocus('code')
    }
  })

  return (
    <form onSubmit={onSubmit} noValidate className="form" aria-label="Verify the emergency phone">
      <SmsCodeStatus masked={masked} delivery={delivery} />
      <Alert>{alert}</Alert>
      <AppCodeField
        label="Code from the SMS"
        autoFocus
        {...register('code')}
        error={formState.errors.code?.message}
      />
      <div className="form-actions">
        <Button type="submit" busy={formState.isSubmitting}>
          {formState.isSubmitting ? 'Checking…' : 'Verify phone'}
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          {cancelLabel}
        </Button>
      </div>
    </form>
  )
}
