import { zodResolver } from '@hookform/resolvers/zod'
import { useId, useState, type KeyboardEvent } from 'react'
import { useForm } from 'react-hook-form'
import type { Policy, SessionUser } from '../../../../shared/dto'
import {
  IDLE_LOCK_MAX,
  IDLE_LOCK_MIN,
  policySchema,
  SESSION_LIFETIME_MAX_HOURS,
} from '../../../../shared/schemas'
import { isOwnerOfSettings } from '../../session/roles'
import { messageOf } from '../../api'
import { applyServerError } from '../../forms'
import { Alert, Notice } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { Field } from '../../ui/Field'
import { Panel } from '../../ui/Layout'
import { RequireForExisting } from '../users/RequireForExisting'
import { DatabaseSection } from './DatabaseSection'
import { EmailOutbox } from './EmailOutbox'
import { EmailSettings } from './EmailSettings'
import { usePolicy, useUpdatePolicy } from './queries'
import { SmsOutbox } from './SmsOutbox'
import { SmsSettings } from './SmsSettings'

const fieldNames = [
  'idleLockMinutes',
  'sessionLifetimeHours',
  'failuresBeforeDelay',
  'failuresBeforeLock',
  'lockMinutes',
  'gracePeriodDays',
  'recoveryCoolingOffMinutes',
  'recoveryRequestHours',
  'noticesBy',
] as const

const noticeChoices: { value: Policy['noticesBy']; label: string; hint: string }[] = [
  { value: 'email', label: 'Email', hint: 'To the address of the account.' },
  {
    value: 'sms',
    label: 'SMS (to a verified phone)',
    hint: 'Only people with a verified emergency phone hear of it.',
  },
  { value: 'both', label: 'Both', hint: 'An email, and an SMS to a verified phone when there is one.' },
]

const OWNER_ONLY = 'Only an owner can change this: it protects everyone. Owners are told whenever it changes.'

/**
 * The policy form. Recovery, lockout, idle lock and session lifetime protect everyone, so for anyone
 * but an owner those fields are shown read-only (main refuses a change to them anyway).
 */
function PolicyForm({ policy, owner }: { policy: Policy; owner: boolean }) {
  const protective = owner ? {} : ({ readOnly: true, hint: OWNER_ONLY } as const)
  const update = useUpdatePolicy()
  const { register, handleSubmit, formState, setError, reset } = useForm<Policy>({
    resolver: zodResolver(policySchema),
    defaultValues: policy,
  })
  const errors = formState.errors
  const num = { valueAsNumber: true } as const

  const onSubmit = handleSubmit(async (values) => {
    try {
      reset(await update.mutateAsync(values))
    } catch (e) {
      applyServerError(e, setError, fieldNames)
    }
  })

  return (
    <form onSubmit={onSubmit} noValidate className="form form-wide">
      {update.isError && <Alert>{messageOf(update.error)}</Alert>}
      <Notice>{update.isSuccess && !formState.isDirty ? 'Settings saved.' : null}</Notice>
      <Field
        label="Lock the console after this many idle minutes"
        type="number"
        min={IDLE_LOCK_MIN}
        max={IDLE_LOCK_MAX}
        hint={`At most ${IDLE_LOCK_MAX} minutes.`}
        {...register('idleLockMinutes', num)}
        {...protective}
        error={errors.idleLockMinutes?.message}
      />
      <Field
        label="Sign everyone out after this many hours, however active"
        type="number"
        min={1}
        max={SESSION_LIFETIME_MAX_HOURS}
        hint={`At most ${SESSION_LIFETIME_MAX_HOURS} hours; then the password and second factor are asked again.`}
        {...register('sessionLifetimeHours', num)}
        {...protective}
        error={errors.sessionLifetimeHours?.message}
      />
      <Field
        label="Failed sign-ins before each attempt is slowed down"
        type="number"
        min={1}
        max={20}
        {...register('failuresBeforeDelay', num)}
        {...protective}
        error={errors.failuresBeforeDelay?.message}
      />
      <Field
        label="Failed sign-ins before the account is locked"
        type="number"
        min={2}
        max={50}
        {...register('failuresBeforeLock', num)}
        {...protective}
        error={errors.failuresBeforeLock?.message}
      />
      <Field
        label="Account lock duration (minutes)"
        type="number"
        min={1}
        max={24 * 60}
        {...register('lockMinutes', num)}
        {...protective}
        error={errors.lockMinutes?.message}
      />
      <fieldset className="choice">
        <legend>Two-factor authentication</legend>
        <div className="check">
          <input id="policy-require-new" type="checkbox" {...register('requireTwoFactorForNewUsers')} />
          <label htmlFor="policy-require-new">Require 2FA for new users</label>
        </div>
        <RequireForExisting />
        <Field
          label="Grace period (days)"
          hint="Days a user required to have 2FA may still sign in without it, reminded each time. 0 means none: they enroll at once."
          type="number"
          min={0}
          max={90}
          {...register('gracePeriodDays', num)}
          error={errors.gracePeriodDays?.message}
        />
      </fieldset>
      <fieldset className="choice">
        <legend>Support recovery</legend>
        <Field
          label="Cooling-off after approval (minutes)"
          hint={
            owner
              ? "Time between support's approval and the moment a temporary access code can be issued, so the person can notice a request they did not make. 0 means none; admins and owners always get at least 15 minutes."
              : OWNER_ONLY
          }
          type="number"
          min={0}
          max={7 * 24 * 60}
          {...register('recoveryCoolingOffMinutes', num)}
          readOnly={!owner}
          error={errors.recoveryCoolingOffMinutes?.message}
        />
        <Field
          label="Requests expire after (hours)"
          hint={
            owner
              ? 'A request support has not completed by then expires, with any code issued for it.'
              : OWNER_ONLY
          }
          type="number"
          min={1}
          max={30 * 24}
          {...register('recoveryRequestHours', num)}
          readOnly={!owner}
          error={errors.recoveryRequestHours?.message}
        />
      </fieldset>
      <fieldset className="choice">
        <legend>Tell people about security changes by</legend>
        <p className="field-hint">
          {owner
            ? 'A new password, 2FA turned off, a new emergency phone, a recovery request…: each person is told about changes to their account, and owners about changes to these settings.'
            : OWNER_ONLY}
        </p>
        {noticeChoices.map((c) => (
          <label key={c.value} className="choice-option">
            {owner ? (
              <input type="radio" value={c.value} {...register('noticesBy')} />
            ) : (
              // Not registered: the saved value goes back unchanged with the admin's other changes.
              <input type="radio" value={c.value} checked={policy.noticesBy === c.value} disabled readOnly />
            )}
            <span>
              <strong>{c.label}</strong>
              <small>{c.hint}</small>
            </span>
          </label>
        ))}
        {errors.noticesBy?.message && <p className="field-error">{errors.noticesBy.message}</p>}
      </fieldset>
      <div className="form-actions">
        <Button type="submit" busy={update.isPending} disabled={!formState.isDirty}>
          Save settings
        </Button>
      </div>
    </form>
  )
}

export type SettingsSection = 'policy' | 'sms' | 'outbox' | 'email' | 'email-outbox' | 'database'

const sections: { id: SettingsSection; label: string }[] = [
  { id: 'policy', label: 'Policy' },
  { id: 'sms', label: 'SMS' },
  { id: 'outbox', label: 'SMS outbox' },
  { id: 'email', label: 'Email' },
  { id: 'email-outbox', label: 'Email outbox' },
  { id: 'database', label: 'Database' },
]

function PolicySection({ owner }: { owner: boolean }) {
  const policy = usePolicy()
  return (
    <Panel title="Sign-in and lock policy">
      {policy.isPending && <p className="muted">Loading…</p>}
      {policy.isError && <Alert>{messageOf(policy.error)}</Alert>}
      {policy.data && <PolicyForm policy={policy.data} owner={owner} />}
    </Panel>
  )
}

export function SettingsPage({
  user,
  initialSection = 'policy',
}: {
  user: SessionUser
  initialSection?: SettingsSection
}) {
  const owner = isOwnerOfSettings(user)
  const [section, setSection] = useState<SettingsSection>(initialSection)
  const baseId = useId()
  const tabId = (id: SettingsSection): string => `${baseId}-tab-${id}`

  // Arrow keys move between tabs, as in any tab list.
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0
    if (!step) return
    const at = sections.findIndex((s) => s.id === section)
    const next = sections[(at + step + sections.length) % sections.length]
    if (!next) return
    e.preventDefault()
    setSection(next.id)
    document.getElementById(tabId(next.id))?.focus()
  }

  return (
    <div className="page">
      <h1>Settings</h1>
      <div role="tablist" aria-label="Settings sections" className="tabs" onKeyDown={onKeyDown}>
        {sections.map((s) => (
          <button
            key={s.id}
            id={tabId(s.id)}
            type="button"
            role="tab"
            className="tab"
            aria-selected={section === s.id}
            aria-controls={`${baseId}-panel`}
            tabIndex={section === s.id ? 0 : -1}
            onClick={() => setSection(s.id)}
          >
            {s.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${baseId}-panel`} aria-labelledby={tabId(section)} className="tab-panel">
        {section === 'policy' && <PolicySection owner={owner} />}
        {section === 'sms' && <SmsSettings owner={owner} />}
        {section === 'outbox' && <SmsOutbox />}
        {section === 'email' && <EmailSettings owner={owner} />}
        {section === 'email-outbox' && <EmailOutbox />}
        {section === 'database' && <DatabaseSection />}
      </div>
    </div>
  )
}
