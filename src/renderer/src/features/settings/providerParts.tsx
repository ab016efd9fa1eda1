import type { UseMutationResult } from '@tanstack/react-query'
import type { TFunction } from 'i18next'
import { useState, type FormEvent, type ReactNode } from 'react'
import { messageOf } from '../../api'
import { Button } from '../../ui/Button'
import { Field } from '../../ui/Field'

// What Settings → SMS and Settings → Email share: the hint of a write-only secret, and the test form.

/** The words of the `settings` catalogs, as a component's useTranslation('settings') gives them. */
export type SettingsT = TFunction<'settings'>

/** The hint of a write-only secret box (the SMTP password, the Twilio token): where it is kept. */
export function storedSecretHint(
  t: SettingsT,
  what: 'password' | 'token',
  set: boolean,
  store: 'keychain' | 'database',
): string {
  const where = t(`secret.store.${store}`)
  if (!set) return t('secret.kept', { store: where })
  return t(what === 'password' ? 'secret.passwordStored' : 'secret.tokenStored', { store: where })
}

/** Where a test goes, checked before it is sent: the address or number to send to, or what is wrong. */
export type TestRecipient = { to: string } | { error: string }

/** One box for where a test message goes; what happened shows above it once main answers. */
export function SendTestForm<E>({
  name,
  send,
  check,
  field,
  result,
}: {
  /** The form's accessible name, and its button. */
  name: string
  send: UseMutationResult<E, Error, string>
  check: (to: string) => TestRecipient
  field: { label: string; type: string; hint: string }
  result: (entry: E) => ReactNode
}) {
  const [to, setTo] = useState('')
  // What is wrong with the box before sending; what main refused is the mutation's own error.
  const [checkError, setCheckError] = useState<string | null>(null)
  const error = checkError ?? (send.isError ? messageOf(send.error) : null)

  const onSubmit = (e: FormEvent) => {
    e.preventDefault()
    setCheckError(null)
    send.reset()
    const checked = check(to)
    if ('error' in checked) {
      setCheckError(checked.error)
      return
    }
    send.mutate(checked.to)
  }

  return (
    <form onSubmit={onSubmit} noValidate className="form form-wide" aria-label={name}>
      {send.data !== undefined && result(send.data)}
      <Field {...field} value={to} onChange={(e) => setTo(e.target.value)} error={error ?? undefined} />
      <div className="form-actions">
        <Button type="submit" variant="secondary" busy={send.isPending}>
          {name}
        </Button>
      </div>
    </form>
  )
}
