import { zodResolver } from '@hookform/resolvers/zod'
import { useState } from 'react'
import { useForm, type UseFormRegisterReturn } from 'react-hook-form'
import type { RecoveryFiledDto } from '../../../../shared/dto'
import { recoveryRequestInputSchema, type RecoveryRequestInput } from '../../../../shared/schemas'
import { api, isSessionGone, unwrap } from '../../api'
import { applyServerError } from '../../forms'
import { useSessionUpdate } from '../../session/queries'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { Field } from '../../ui/Field'
import { TextArea } from '../../ui/TextArea'

/**
 * "Ask support for help", after the password: what happened and how support can reach the person. Main
 * files the request and ends the sign-in attempt; `onFiled` shows the confirmation in its place.
 */
export function AskSupport({ onFiled }: { onFiled: (filed: RecoveryFiledDto) => void }) {
  const { set, refresh } = useSessionUpdate()
  const [alert, setAlert] = useState<string | null>(null)
  const { register, handleSubmit, formState, setError } = useForm<RecoveryRequestInput>({
    resolver: zodResolver(recoveryRequestInputSchema),
    defaultValues: { message: '', contact: '' },
  })

  const onSubmit = handleSubmit(async (values) => {
    setAlert(null)
    try {
      const filed = await unwrap(api().auth.requestRecovery(values))
      onFiled(filed)
      // Main signed this attempt out; the confirmation stands in for the sign-in screen until dismissed.
      set({ phase: 'signed-out' })
    } catch (e) {
      setAlert(applyServerError(e, setError, ['message', 'contact']))
      if (isSessionGone(e)) await refresh()
    }
  })

  return (
    <form onSubmit={onSubmit} noValidate className="form">
      <SupportChecksFirst />
      <Alert>{alert}</Alert>
      <SupportRequestFields
        // The step's heading has focus, so the explanation above is read before the fields.
        autoFocus={false}
        message={register('message')}
        contact={register('contact')}
        errors={{ message: formState.errors.message?.message, contact: formState.errors.contact?.message }}
      />
      <Button type="submit" busy={formState.isSubmitting}>
        {formState.isSubmitting ? 'Sending…' : 'Send the request to support'}
      </Button>
    </form>
  )
}

/** What every request to support says first: nothing changes before support has checked who it is. */
export function SupportChecksFirst() {
  return (
    <p>
      Support checks who you are before anything about your account changes, usually by calling you back.
      Nothing is turned off by sending this request.
    </p>
  )
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
  return (
    <>
      <TextArea
        label="What happened"
        hint="For example: my phone was stolen on the train this morning."
        autoFocus={autoFocus}
        {...message}
        error={errors.message}
      />
      <Field
        label="How can support reach you"
        hint="A phone number, your desk, or a colleague who sits near you."
        autoComplete="off"
        {...contact}
        error={errors.contact}
      />
    </>
  )
}
