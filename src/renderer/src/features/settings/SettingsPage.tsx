import { zodResolver } from '@hookform/resolvers/zod'
import { useId, useState, type KeyboardEvent } from 'react'
import { useForm } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import type { Policy, SessionUser } from '../../../../shared/dto'
import {
  IDLE_LOCK_MAX,
  IDLE_LOCK_MIN,
  policySchema,
  SESSION_LIFETIME_MAX_HOURS,
} from '../../../../shared/schemas'
import { isOwnerOfSettings } from '../../session/roles'
import { messageOf } from '../../api'
import { useServerError } from '../../forms'
import { LANGUAGE_NAMES, LANGUAGES } from '../../i18n'
import { Alert, Notice } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { Field } from '../../ui/Field'
import { Panel } from '../../ui/Layout'
import { Select } from '../../ui/Select'
import { RequireForExisting } from '../users/RequireForExisting'
import { DatabaseSection } from './DatabaseSection'
import { EmailOutbox } from './EmailOutbox'
import { EmailSettings } from './EmailSettings'
import { usePolicy, useUpdatePolicy } from './queries'
import { SmsOutbox } from './SmsOutbox'
import { SmsSettings } from './SmsSettings'
import styles from './SettingsPage.module.css'

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
  'defaultLanguage',
] as const

const noticeChoices: readonly Policy['noticesBy'][] = ['email', 'sms', 'both']

/**
 * The policy form. Recovery, lockout, idle lock and session lifetime protect everyone, so for anyone
 * but an owner those fields are shown read-only (main refuses a change to them anyway).
 */
function PolicyForm({ policy, owner }: { policy: Policy; owner: boolean }) {
  const { t } = useTranslation('settings')
  const ownerOnly = t('policy.ownerOnly')
  const protective = owner ? {} : ({ readOnly: true, hint: ownerOnly } as const)
  const update = useUpdatePolicy()
  const { register, handleSubmit, formState, setError, reset } = useForm<Policy>({
    resolver: zodResolver(policySchema),
    defaultValues: policy,
  })
  const errors = formState.errors
  const num = { valueAsNumber: true } as const
  const server = useServerError(setError, fieldNames)
  const languageHint = useId()

  const onSubmit = handleSubmit((values) =>
    server.submit(async () => reset(await update.mutateAsync(values))),
  )

  return (
    <form onSubmit={onSubmit} noValidate className="form form-wide">
      {server.error && <Alert>{server.error}</Alert>}
      <Notice>{update.isSuccess && !formState.isDirty ? t('policy.saved') : null}</Notice>
      <Field
        label={t('policy.idleLock')}
        type="number"
        min={IDLE_LOCK_MIN}
        max={IDLE_LOCK_MAX}
        hint={t('policy.idleLockHint', { max: IDLE_LOCK_MAX })}
        {...register('idleLockMinutes', num)}
        {...protective}
        error={errors.idleLockMinutes?.message}
      />
      <Field
        label={t('policy.lifetime')}
        type="number"
        min={1}
        max={SESSION_LIFETIME_MAX_HOURS}
        hint={t('policy.lifetimeHint', { max: SESSION_LIFETIME_MAX_HOURS })}
        {...register('sessionLifetimeHours', num)}
        {...protective}
        error={errors.sessionLifetimeHours?.message}
      />
      <Field
        label={t('policy.failuresBeforeDelay')}
        type="number"
        min={1}
        max={20}
        {...register('failuresBeforeDelay', num)}
        {...protective}
        error={errors.failuresBeforeDelay?.message}
      />
      <Field
        label={t('policy.failuresBeforeLock')}
        type="number"
        min={2}
        max={50}
        {...register('failuresBeforeLock', num)}
        {...protective}
        error={errors.failuresBeforeLock?.message}
      />
      <Field
        label={t('policy.lockMinutes')}
        type="number"
        min={1}
        max={24 * 60}
        {...register('lockMinutes', num)}
        {...protective}
        error={errors.lockMinutes?.message}
      />
      <fieldset className="choice">
        <legend>{t('policy.twoFactor')}</legend>
        <div className="check">
          <input id="policy-require-new" type="checkbox" {...register('requireTwoFactorForNewUsers')} />
          <label htmlFor="policy-require-new">{t('policy.requireNew')}</label>
        </div>
        <RequireForExisting />
        <Field
          label={t('policy.grace')}
          hint={t('policy.graceHint')}
          type="number"
          min={0}
          max={90}
          {...register('gracePeriodDays', num)}
          error={errors.gracePeriodDays?.message}
        />
      </fieldset>
      <fieldset className="choice">
        <legend>{t('policy.recovery')}</legend>
        <Field
          label={t('policy.coolingOff')}
          hint={owner ? t('policy.coolingOffHint') : ownerOnly}
          type="number"
          min={0}
          max={7 * 24 * 60}
          {...register('recoveryCoolingOffMinutes', num)}
          readOnly={!owner}
          error={errors.recoveryCoolingOffMinutes?.message}
        />
        <Field
          label={t('policy.requestHours')}
          hint={owner ? t('policy.requestHoursHint') : ownerOnly}
          type="number"
          min={1}
          max={30 * 24}
          {...register('recoveryRequestHours', num)}
          readOnly={!owner}
          error={errors.recoveryRequestHours?.message}
        />
      </fieldset>
      <fieldset className="choice">
        <legend>{t('policy.notices')}</legend>
        <p className="field-hint">{owner ? t('policy.noticesHint') : ownerOnly}</p>
        {noticeChoices.map((c) => (
          <label key={c} className="choice-option">
            {owner ? (
              <input type="radio" value={c} {...register('noticesBy')} />
            ) : (
              // Not registered: the saved value goes back unchanged with the admin's other changes.
              <input type="radio" value={c} checked={policy.noticesBy === c} disabled readOnly />
            )}
            <span>
              <strong>{t(`policy.noticesBy.${c}`)}</strong>
              <small>{t(`policy.noticesBy.${c}Hint`)}</small>
            </span>
          </label>
        ))}
        {errors.noticesBy?.message && <p className="field-error">{errors.noticesBy.message}</p>}
      </fieldset>
      <fieldset className="choice">
        <legend>{t('policy.messages')}</legend>
        <Select
          label={t('policy.defaultLanguage')}
          aria-describedby={languageHint}
          {...register('defaultLanguage')}
        >
          {LANGUAGES.map((l) => (
            <option key={l} value={l} lang={l}>
              {LANGUAGE_NAMES[l]}
            </option>
          ))}
        </Select>
        <p className="field-hint" id={languageHint}>
          {t('policy.defaultLanguageHint')}
        </p>
      </fieldset>
      <div className="form-actions">
        <Button type="submit" busy={update.isPending} disabled={!formState.isDirty}>
          {t('policy.save')}
        </Button>
      </div>
    </form>
  )
}

export type SettingsSection = 'policy' | 'sms' | 'outbox' | 'email' | 'email-outbox' | 'database'

const sections: readonly SettingsSection[] = ['policy', 'sms', 'outbox', 'email', 'email-outbox', 'database']

function PolicySection({ owner }: { owner: boolean }) {
  const { t } = useTranslation('settings')
  const policy = usePolicy()
  return (
    <Panel title={t('policy.title')}>
      {policy.isPending && <p className="muted">{t('loading')}</p>}
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
  const { t } = useTranslation('settings')
  const owner = isOwnerOfSettings(user)
  const [section, setSection] = useState<SettingsSection>(initialSection)
  const baseId = useId()
  const tabId = (id: SettingsSection): string => `${baseId}-tab-${id}`

  // Arrow keys move between tabs, as in any tab list.
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0
    if (!step) return
    const at = sections.indexOf(section)
    const next = sections[(at + step + sections.length) % sections.length]
    if (!next) return
    e.preventDefault()
    setSection(next)
    document.getElementById(tabId(next))?.focus()
  }

  return (
    <div className="page">
      <h1>{t('title')}</h1>
      <div role="tablist" aria-label={t('sections')} className={styles.tabs} onKeyDown={onKeyDown}>
        {sections.map((s) => (
          <button
            key={s}
            id={tabId(s)}
            type="button"
            role="tab"
            className={styles.tab}
            aria-selected={section === s}
            aria-controls={`${baseId}-panel`}
            tabIndex={section === s ? 0 : -1}
            onClick={() => setSection(s)}
          >
            {t(`section.${s}`)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${baseId}-panel`} aria-labelledby={tabId(section)} className={styles.panel}>
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
