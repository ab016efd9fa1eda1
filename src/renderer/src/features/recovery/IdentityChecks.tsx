import { useState } from 'react'
import { useForm } from 'react-hook-form'
import type { RecoveryRequestDetailDto } from '../../../../shared/dto'
import {
  RECOVERY_MIN_CHECKS,
  recoveryCheckInputSchema,
  recoveryCheckKeys,
  recoveryChecks,
  type RecoveryCheck,
} from '../../../../shared/schemas'
import { applyServerError } from '../../forms'
import { Alert, Notice } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { Panel } from '../../ui/Layout'
import { TextArea } from '../../ui/TextArea'
import { dateTime } from '../users/format'
import { agentName } from './format'
import { useRecoveryAction } from './queries'

interface ChecksForm {
  checks: RecoveryCheck[]
  note: string
}

/** The checks not yet recorded, as checkboxes, and a note; "Record" sends whichever were filled in. */
function RecordChecks({ detail }: { detail: RecoveryRequestDetailDto }) {
  const record = useRecoveryAction('recovery.check')
  const [alert, setAlert] = useState<string | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const recorded = new Set(detail.checks.map((c) => c.check))
  const remaining = recoveryCheckKeys.filter((k) => !recorded.has(k))
  const { register, handleSubmit, formState, setError, reset } = useForm<ChecksForm>({
    // An array default keeps `checks` an array even when one checkbox is left.
    defaultValues: { checks: [], note: '' },
  })

  const onSubmit = handleSubmit(async ({ checks, note }) => {
    setAlert(null)
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
    try {
      await record.mutateAsync(parsed.data)
      reset({ checks: [], note: '' })
      const n = parsed.data.checks.length
      setNotice(n === 0 ? 'Note added.' : `${n} ${n === 1 ? 'check' : 'checks'} recorded.`)
    } catch (e) {
      setAlert(applyServerError(e, setError, ['checks', 'note']))
    }
  })

  const checksError = formState.errors.checks?.message
  return (
    <form onSubmit={onSubmit} noValidate className="form">
      <Alert>{alert}</Alert>
      <Notice>{notice}</Notice>
      {remaining.length > 0 && (
        <fieldset className="choice" aria-describedby={checksError ? 'record-checks-error' : undefined}>
          <legend>Checks you made</legend>
          {remaining.map((key) => (
            <label key={key} className="choice-option">
              <input type="checkbox" value={key} {...register('checks')} />
              <span>{recoveryChecks[key]}</span>
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
        label="Note"
        hint="What you did and what you saw; other agents read it. Optional with a check."
        rows={3}
        {...register('note')}
        error={formState.errors.note?.message}
      />
      <div className="form-actions">
        <Button type="submit" busy={formState.isSubmitting}>
          Record
        </Button>
      </div>
    </form>
  )
}

/** The identity checklist: what was checked, by whom and when; the form when the agent may add more. */
export function IdentityChecks({ detail }: { detail: RecoveryRequestDetailDto }) {
  return (
    <Panel title="Identity checks">
      <p className={detail.checks.length >= RECOVERY_MIN_CHECKS ? 'status-on' : 'muted'}>
        {detail.checks.length} recorded; at least {RECOVERY_MIN_CHECKS} are needed before approving.
      </p>
      {detail.checks.length > 0 && (
        <ul className="recorded-list" aria-label="Recorded checks">
          {detail.checks.map((c) => (
            <li key={c.check}>
              <span aria-hidden="true">✓ </span>
              {c.label}
              <div className="muted small">
                {agentName(c.by)}, {dateTime(c.at)}
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
  return (
    <Panel title="Notes">
      {detail.notes.length === 0 ? (
        <p className="muted">No notes yet.</p>
      ) : (
        <ul className="recorded-list" aria-label="Notes">
          {detail.notes.map((n, i) => (
            <li key={i}>
              <div className="muted small">
                {agentName(n.by)}, {dateTime(n.at)}
              </div>
              <p className="prewrap">{n.body}</p>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  )
}
