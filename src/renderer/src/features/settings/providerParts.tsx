import type { UseMutationResult } from '@tanstack/react-query'
import { useState, type FormEvent, type ReactNode } from 'react'
import { messageOf } from '../../api'
import { Button } from '../../ui/Button'
import { Field } from '../../ui/Field'

// What Settings → SMS and Settings → Email share: the hint of a write-only secret, and the test form.

const secretStoreLabel = {
  keychain: 'the OS keychain',
  database: 'the database',
} as const

/** The hint of a write-only secret box (the SMTP password, the Twilio token): where it is kept. */
export function storedSecretHint(
  what: 'password' | 'token',
  set: boolean,
  store: keyof typeof secretStoreLabel,
): string {
  return set
    ? `A ${what} is stored in ${secretStoreLabel[store]}. Leave this empty to keep it.`
    : `Kept in ${secretStoreLabel[store]}, never shown again.`
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
  const [error, setError] = useState<string | null>(null)

  const onSubmit = (e: FormEvent) => {
    e.preventDefault()
    setError(null)
    send.reset()
    const checked = check(to)
    if ('error' in checked) {
      setError(checked.error)
      return
    }
    send.mutate(checked.to, {
      onError: (err) => setError(messageOf(err)),
    })
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
