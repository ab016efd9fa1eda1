import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import type { RecoveryRequestDetailDto } from '../../../../shared/dto'
import {
  RECOVERY_MIN_CHECKS,
  recoveryCheckInputSchema,
  recoveryCheckKeys,
  type RecoveryCheck,
} from '../../../../shared/schemas'
import { useServerError } from '../../forms'
import { Alert, Notice } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { Panel } from '../../ui/Layout'
import { TextArea } from '../../ui/TextArea'
import { dateTime } from '../users/format'
import { agentName } from './format'
import { useRecoveryAction } from './queries'
import listStyles from './RecordedList.module.css'

interface ChecksForm {
  checks: RecoveryCheck[]
  note: string
}

/** The checks not yet recorded, as checkboxes, and a note; "Record" sends whichever were filled in. */
function RecordChecks({ detail }: { detail: RecoveryRequestDetailDto }) {
  const { t } = useTranslation('recovery')
  const record = useRecoveryAction('recovery.check')
  const [notice, setNotice] = useState<string | null>(null)
  const recorded = new Set(detail.checks.map((c) => c.check))
  const remaining = recoveryCheckKeys.filter((k) => !recorded.has(k))
  const { register, handleSubmit, formState, setError, reset } = useForm<ChecksForm>({
    // An array default keeps `checks` an array even when one checkbox is left.
    defaultValues: { checks: [], note: '' },
  })
  const server = useServerError(setError, ['checks', 'note'])

  const onSubmit = handleSubmit(async ({ checks, note }) => {
    setNotice(null)
    const parsed = recoveryCheckInputSchema.safeParse({
      requestId: detail.id,
      checks,
      ...(note.trim() ? { note } : {}),
    })
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        // With every check recorded only the note is left to say it at.
        const at = issue.path[0] === 'note' || remaining.length === 0 ? 'note' : 'checks'
        setError(at, { message: issue.message })
      }
      return
    }
    if (!(await server.submit(() => record.mutateAsync(parsed.data)))) return
    reset({ checks: [], note: '' })
    const n = parsed.data.checks.length
    setNotice(n === 0 ? t('checks.noteAdded') : t('checks.done', { count: n }))
  })

  const checksError = formState.errors.checks?.message
  return (
    <form onSubmit={onSubmit} noValidate className="form">
      <Alert>{server.error}</Alert>
      <Notice>{notice}</Notice>
      {remaining.length > 0 && (
        <fieldset className="choice" aria-describedby={checksError ? 'record-checks-error' : undefined}>
          <legend>{t('checks.legend')}</legend>
          {remaining.map((key) => (
            <label key={key} className="choice-option">
              <input type="checkbox" value={key} {...register('checks')} />
              <span>{t(`checks.check.${key}`)}</span>
            </label>
          ))}
          {checksError && (
            <p id="record-checks-error" className="field-error">
              {checksError}
            </p>
          )}
        </fieldset>
      )}
      <TextArea
        label={t('checks.note')}
        hint={t('checks.noteHint')}
        rows={3}
        {...register('note')}
        error={formState.errors.note?.message}
      />
      <div className="form-actions">
        <Button type="submit" busy={formState.isSubmitting}>
          {t('checks.record')}
        </Button>
      </div>
    </form>
  )
}

/** The identity checklist: what was checked, by whom and when; the form when the agent may add more. */
export function IdentityChecks({ detail }: { detail: RecoveryRequestDetailDto }) {
  const { t } = useTranslation('recovery')
  return (
    <Panel title={t('checks.title')}>
      <p className={detail.checks.length >= RECOVERY_MIN_CHECKS ? 'status-on' : 'muted'}>
        {t('checks.count', { count: detail.checks.length, min: RECOVERY_MIN_CHECKS })}
      </p>
      {detail.checks.length > 0 && (
        <ul className={listStyles.list} aria-label={t('checks.recorded')}>
          {detail.checks.map((c) => (
            <li key={c.check}>
              <span aria-hidden="true">✓ </span>
              {t(`checks.check.${c.check}`)}
              <div className="muted small">
                {t('checks.byAt', { name: agentName(t, c.by), at: dateTime(c.at) })}
              </div>
            </li>
          ))}
        </ul>
      )}
      {detail.actions.check && <RecordChecks detail={detail} />}
    </Panel>
  )
}

/** Notes agents left on the request, oldest first. */
export function RecoveryNotes({ detail }: { detail: RecoveryRequestDetailDto }) {
  const { t } = useTranslation('recovery')
  return (
    <Panel title={t('notes.title')}>
      {detail.notes.length === 0 ? (
        <p className="muted">{t('notes.none')}</p>
      ) : (
        <ul className={listStyles.list} aria-label={t('notes.label')}>
          {detail.notes.map((n, i) => (
            <li key={i}>
              <div className="muted small">
                {t('checks.byAt', { name: agentName(t, n.by), at: dateTime(n.at) })}
              </div>
              <p className="prewrap">{n.body}</p>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  )
}
