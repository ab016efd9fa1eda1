import { zodResolver } from '@hookform/resolvers/zod'
import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import type { SmsCodeSentDto } from '../../../../shared/dto'
import { passwordSchema, smsCodeSchema, totpCodeSchema, type SmsDelivery } from '../../../../shared/schemas'
import { useServerError } from '../../forms'
import { i18n } from '../../i18n'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { Field } from '../../ui/Field'
import { AppCodeField } from '../two-factor/AppCodeField'
import { useStartPhone, useVerifyPhone } from './queries'
import { SmsCodeStatus } from './SmsCodeStatus'

/**
 * The two forms that set the emergency phone, shared by My profile and the last step of the enrollment
 * wizard: the number (twice) with the password, then the code sent to it by SMS.
 */

/**
 * Entering a number (with the password, and the app code when replacing a verified one), then the code
 * sent to it. Starts at the code when a number is already waiting for one.
 */
export function PhoneSetup({
  changing,
  pendingMasked = null,
  cancelLabel,
  onCancel,
  onVerified,
}: {
  changing: boolean
  pendingMasked?: string | null
  /** The secondary button of both forms; Cancel unless given. */
  cancelLabel?: string
  onCancel: () => void
  onVerified: (masked: string) => void
}) {
  const { t } = useTranslation('phone')
  const cancel = cancelLabel ?? t('cancel')
  const [sentTo, setSentTo] = useState<string | null>(pendingMasked)
  const [delivery, setDelivery] = useState<SmsDelivery | undefined>(undefined)
  if (sentTo === null) {
    return (
      <PhoneForm
        changing={changing}
        cancelLabel={cancel}
        onCancel={onCancel}
        onSent={(sent) => {
          setSentTo(sent.masked)
          setDelivery(sent.delivery)
        }}
      />
    )
  }
  return (
    <VerifyForm
      masked={sentTo}
      delivery={delivery}
      cancelLabel={cancel}
      onCancel={onCancel}
      onVerified={onVerified}
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
// Messages are looked up when a check fails, so they follow a language changed since.
const phoneFormSchema = z.object({
  number: z
    .string()
    .trim()
    .min(1, { error: () => i18n.t('phone:form.enterNumber') }),
  numberConfirm: z
    .string()
    .trim()
    .min(1, { error: () => i18n.t('phone:form.enterNumberAgain') }),
  notAuthenticatorPhone: z
    .boolean()
    .refine((v) => v, { error: () => i18n.t('phone:form.confirmNotAuthenticator') }),
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
  const { t } = useTranslation('phone')
  const start = useStartPhone()
  const { register, handleSubmit, formState, resetField, setError } = useForm<PhoneValues>({
    resolver: zodResolver(phoneFormSchema),
    defaultValues: { number: '', numberConfirm: '', notAuthenticatorPhone: false, password: '', code: '' },
  })
  const { error: alert, submit } = useServerError(setError, phoneFields)
  const errors = formState.errors

  const onSubmit = handleSubmit(async (v) => {
    let code: string | undefined
    if (changing) {
      const checked = totpCodeSchema.safeParse(v.code)
      if (!checked.success) {
        setError('code', { message: checked.error.issues[0]?.message ?? t('form.enterAppCode') })
        return
      }
      code = checked.data
    }
    await submit(async () =>
      onSent(
        await start.mutateAsync({
          number: v.number,
          numberConfirm: v.numberConfirm,
          notAuthenticatorPhone: true,
          password: v.password,
          ...(code ? { code } : {}),
        }),
      ),
    )
    resetField('password', { defaultValue: '', keepError: true })
    resetField('code', { defaultValue: '', keepError: true })
  })

  return (
    <form onSubmit={onSubmit} noValidate className="form" aria-label={t('form.label')}>
      <p className="alert alert-warning">{t('form.smsWarning')}</p>
      <Alert>{alert}</Alert>
      <Field
        label={t('form.number')}
        type="tel"
        autoComplete="tel"
        hint={t('form.numberHint')}
        {...register('number')}
        error={errors.number?.message}
      />
      <Field
        label={t('form.numberAgain')}
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
        <label htmlFor="phone-not-authenticator">{t('form.notAuthenticator')}</label>
      </div>
      {errors.notAuthenticatorPhone?.message && (
        <p id="phone-not-authenticator-error" className="field-error">
          {errors.notAuthenticatorPhone.message}
        </p>
      )}
      <Field
        label={t('form.password')}
        type="password"
        autoComplete="current-password"
        {...register('password')}
        error={errors.password?.message}
      />
      {changing && (
        <AppCodeField label={t('form.appCode')} {...register('code')} error={errors.code?.message} />
      )}
      <div className="form-actions">
        <Button type="submit" busy={formState.isSubmitting}>
          {formState.isSubmitting ? t('form.sending') : t('form.send')}
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
  const { t } = useTranslation('phone')
  const verify = useVerifyPhone()
  const { register, handleSubmit, formState, resetField, setError, setFocus } = useForm<{ code: string }>({
    defaultValues: { code: '' },
  })
  const { error: alert, submit } = useServerError(setError, ['code'])

  const onSubmit = handleSubmit(async ({ code }) => {
    const checked = smsCodeSchema.safeParse(code)
    if (!checked.success) {
      setError('code', { message: checked.error.issues[0]?.message ?? t('verify.enterCode') })
      return
    }
    const done = await submit(async () => {
      const status = await verify.mutateAsync(checked.data)
      onVerified(status.masked ?? masked)
    })
    if (!done) {
      resetField('code', { defaultValue: '', keepError: true })
      setFocus('code')
    }
  })

  return (
    <form onSubmit={onSubmit} noValidate className="form" aria-label={t('verify.label')}>
      <SmsCodeStatus masked={masked} delivery={delivery} />
      <Alert>{alert}</Alert>
      <AppCodeField
        label={t('verify.code')}
        autoFocus
        {...register('code')}
        error={formState.errors.code?.message}
      />
      <div className="form-actions">
        <Button type="submit" busy={formState.isSubmitting}>
          {formState.isSubmitting ? t('verify.checking') : t('verify.submit')}
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          {cancelLabel}
        </Button>
      </div>
    </form>
  )
}
