import { zodResolver } from '@hookform/resolvers/zod'
import { useForm, type UseFormRegisterReturn } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import type { RecoveryFiledDto } from '../../../../shared/dto'
import { recoveryRequestInputSchema, type RecoveryRequestInput } from '../../../../shared/schemas'
import { useServerError } from '../../forms'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { Field } from '../../ui/Field'
import { TextArea } from '../../ui/TextArea'
import { useRequestRecovery } from './queries'

/**
 * "Ask support for help", after the password: what happened and how support can reach the person. Main
 * files the request and ends the sign-in attempt; `onFiled` shows the confirmation in its place.
 */
export function AskSupport({ onFiled }: { onFiled: (filed: RecoveryFiledDto) => void }) {
  const { t } = useTranslation('auth')
  // Main signs this attempt out; the confirmation stands in for the sign-in screen until dismissed.
  const request = useRequestRecovery(onFiled)
  const { register, handleSubmit, formState, setError } = useForm<RecoveryRequestInput>({
    resolver: zodResolver(recoveryRequestInputSchema),
    defaultValues: { message: '', contact: '' },
  })
  const server = useServerError(setError, ['message', 'contact'])

  const onSubmit = handleSubmit(async (values) => {
    await server.submit(() => request.mutateAsync(values))
  })

  return (
    <form onSubmit={onSubmit} noValidate className="form">
      <SupportChecksFirst />
      <Alert>{server.error}</Alert>
      <SupportRequestFields
        // The step's heading has focus, so the explanation above is read before the fields.
        autoFocus={false}
        message={register('message')}
        contact={register('contact')}
        errors={{ message: formState.errors.message?.message, contact: formState.errors.contact?.message }}
      />
      <Button type="submit" busy={formState.isSubmitting}>
        {formState.isSubmitting ? t('sending') : t('support.send')}
      </Button>
    </form>
  )
}

/** What every request to support says first: nothing changes before support has checked who it is. */
export function SupportChecksFirst() {
  const { t } = useTranslation('auth')
  return <p>{t('support.checksFirst')}</p>
}

/**
 * The two fields of a request to support (after the password, or from "Forgot password?" with the email
 * only): what happened, and how support can reach the person.
 */
export function SupportRequestFields({
  message,
  contact,
  errors,
  autoFocus = true,
}: {
  message: UseFormRegisterReturn<'message'>
  contact: UseFormRegisterReturn<'contact'>
  errors: { message?: string | undefined; contact?: string | undefined }
  autoFocus?: boolean
}) {
  const { t } = useTranslation('auth')
  return (
    <>
      <TextArea
        label={t('support.message')}
        hint={t('support.messageHint')}
        autoFocus={autoFocus}
        {...message}
        error={errors.message}
      />
      <Field
        label={t('support.contact')}
        hint={t('support.contactHint')}
        autoComplete="off"
        {...contact}
        error={errors.contact}
      />
    </>
  )
}
