import { zodResolver } from '@hookform/resolvers/zod'
import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { accessCodeInputSchema } from '../../../../shared/schemas'
import { api, isSessionGone, messageOf, unwrap } from '../../api'
import { useSessionUpdate } from '../../session/queries'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { LongCodeField } from './formParts'

/**
 * The temporary access code support gave (by SMS or read out). Once main accepts it the old authenticator
 * is revoked and the session may only enroll a new one; re-reading the session shows that.
 */
export function AccessCodeEntry({ onAccepted }: { onAccepted: () => void }) {
  const { refresh } = useSessionUpdate()
  const [alert, setAlert] = useState<string | null>(null)
  const { register, handleSubmit, formState, resetField, setFocus } = useForm<{ code: string }>({
    resolver: zodResolver(accessCodeInputSchema),
    defaultValues: { code: '' },
  })

  const onSubmit = handleSubmit(async ({ code }) => {
    setAlert(null)
    try {
      await unwrap(api().auth.verifyAccessCode({ code }))
      onAccepted()
      await refresh()
    } catch (e) {
      setAlert(messageOf(e))
      if (isSessionGone(e)) await refresh()
      resetField('code', { defaultValue: '', keepError: true })
      setFocus('code')
    }
  })

  return (
    <form onSubmit={onSubmit} noValidate className="form">
      <p>
        Signing in with it turns off your old authenticator app and backup codes, and you set up a new
        authenticator right away. The code works once.
      </p>
      <Alert>{alert}</Alert>
      <LongCodeField
        label="Temporary access code"
        {...register('code')}
        error={formState.errors.code?.message}
      />
      <Button type="submit" busy={formState.isSubmitting}>
        {formState.isSubmitting ? 'Checking…' : 'Continue'}
      </Button>
    </form>
  )
}
