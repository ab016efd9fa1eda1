import { useEffect, useState } from 'react'
import type { BulkProgressDto, BulkReasonCountDto } from '../../../../shared/dto'
import { messageOf } from '../../api'
import { Alert } from '../../ui/Alert'
import { Button } from '../../ui/Button'
import { Dialog } from '../../ui/Dialog'
import { downloadText } from '../two-factor/backupCodesOut'
import styles from './BulkActionDialog.module.css'
import { useBulkPreview, useBulkRun, useHeldCodesSaved, type BulkAction, type BulkTarget } from './queries'

export const usersCount = (n: number): string => `${n.toLocaleString('en-US')} ${n === 1 ? 'user' : 'users'}`

/** Each action's button, the question it asks and what it does, as the dialog says them. */
export const bulkActionText: Record<
  BulkAction,
  { button: string; title: (who: string) => string; effect: string; danger?: boolean }
> = {
  'require-2fa': {
    button: 'Require 2FA',
    title: (who) => `Require 2FA for ${who}?`,
    effect: 'They must set up an authenticator to sign in (after the grace period, if the policy gives one).',
  },
  'stop-requiring-2fa': {
    button: 'Stop requiring 2FA',
    title: (who) => `Stop requiring 2FA for ${who}?`,
    effect: 'Their password alone signs them in again, unless they have set up 2FA themselves.',
  },
  'resend-invitation': {
    button: 'Re-send invitations',
    title: (who) => `Re-send invitations to ${who}?`,
    effect:
      'Each invited person gets a new invitation code and their old one stops working. Codes go by email where email is set up; otherwise you download them once, when this is done.',
  },
  'reset-2fa': {
    button: 'Reset 2FA',
    title: (who) => `Reset 2FA for ${who}?`,
    effect: 'Their authenticator and backup codes are removed; they set up 2FA again at their next sign-in.',
    danger: true,
  },
  disable: {
    button: 'Disable',
    title: (who) => `Disable ${who}?`,
    effect: 'They cannot sign in until an admin enables their account again.',
    danger: true,
  },
  export: {
    button: 'Export CSV',
    title: (who) => `Export ${who} as CSV?`,
    effect: 'A CSV file of these users (email, name, role, status, 2FA, last login; no secrets) is saved.',
  },
}

function Reasons({ items, label }: { items: BulkReasonCountDto[]; label: string }) {
  if (items.length === 0) return null
  return (
    <ul className={styles.reasons} aria-label={label}>
      {items.map((r) => (
        <li key={r.reason}>
          <span>{r.reason}</span>
          <span className={styles.count}>{r.count.toLocaleString('en-US')}</span>
        </li>
      ))}
    </ul>
  )
}

const skippedCount = (items: BulkReasonCountDto[]): number => items.reduce((n, r) => n + r.count, 0)

/**
 * One bulk action, from question to result: it states how many users it is about and which of them the
 * rules leave alone, then shows progress while main works through them in batches, then what was done,
 * skipped and why. Export saves its CSV; re-sent codes that could not go by email are saved once.
 */
export function BulkActionDialog({
  target,
  action,
  onClose,
}: {
  target: BulkTarget
  action: BulkAction
  /** `ran`: the action ran (the selection is spent). */
  onClose: (ran: boolean) => void
}) {
  const text = bulkActionText[action]
  const preview = useBulkPreview(target, action)
  const [progress, setProgress] = useState<BulkProgressDto | null>(null)
  const run = useBulkRun(setProgress)
  const result = run.data
  // Main handed the codes over once; its database copy goes only when told the file is saved.
  const codes = result?.invitationsCsv ?? null
  const saved = useHeldCodesSaved()
  const confirmSaved = saved.mutate

  // What the action produced is saved as soon as it is there; the dialog offers it again until closed.
  useEffect(() => {
    if (!result) return
    if (result.csv !== null) downloadText('tessera-users.csv', result.csv, 'text/csv;charset=utf-8')
    if (result.invitationsCsv !== null) {
      downloadText('tessera-invitations.csv', result.invitationsCsv, 'text/csv;charset=utf-8')
      // Downloaded, then confirmed: until this, a restart offers the codes again (Users › Import CSV).
      if (result.invitationsThrough !== null)
        confirmSaved({ importId: result.jobId, through: result.invitationsThrough })
    }
  }, [result, confirmSaved])

  const running = run.isPending
  const close = () => {
    if (!running) onClose(result !== undefined)
  }

  const who = usersCount(preview.data?.total ?? 0)
  const title = result
    ? 'Done'
    : running
      ? `${text.button}: working…`
      : preview.data
        ? text.title(who)
        : text.button

  return (
    <Dialog title={title} onClose={close}>
      <div className="form">
        {!result && !running && (
          <>
            {preview.isPending && <p className="muted">Counting users…</p>}
            {preview.isError && <Alert>{messageOf(preview.error)}</Alert>}
            {preview.data && (
              <>
                <p>{text.effect}</p>
                {preview.data.skipped.length === 0 ? (
                  <p>
                    This applies to all <strong>{who}</strong>.
                  </p>
                ) : (
                  <>
                    <p>
                      <strong>{usersCount(preview.data.willAct)}</strong> will be changed;{' '}
                      <strong>{usersCount(skippedCount(preview.data.skipped))}</strong> will be skipped:
                    </p>
                    <Reasons items={preview.data.skipped} label="Will be skipped" />
                  </>
                )}
              </>
            )}
            {run.isError && <Alert>{messageOf(run.error)}</Alert>}
            <div className="form-actions">
              <Button
                className={text.danger ? 'btn-danger' : undefined}
                disabled={!preview.data || preview.data.willAct === 0}
                onClick={() => run.mutate({ target, action })}
              >
                {text.button}
              </Button>
              <Button variant="secondary" data-autofocus onClick={close}>
                Cancel
              </Button>
            </div>
          </>
        )}
        {running && (
          <div className={styles.progress}>
            <progress max={progress?.total ?? 1} value={progress?.processed ?? 0} aria-label="Progress" />
            <p role="status">
              {(progress?.processed ?? 0).toLocaleString('en-US')} of {usersCount(progress?.total ?? 0)} done.
              Tessera works through them in batches; keep this window open.
            </p>
          </div>
        )}
        {result && (
          <>
            <p role="status">
              <strong>{usersCount(result.done)}</strong> {action === 'export' ? 'exported' : 'changed'}
              {skippedCount(result.skipped) > 0 && (
                <>
                  , <strong>{skippedCount(result.skipped).toLocaleString('en-US')}</strong> skipped
                </>
              )}
              {skippedCount(result.failed) > 0 && (
                <>
                  , <strong>{skippedCount(result.failed).toLocaleString('en-US')}</strong> failed
                </>
              )}
              .
            </p>
            <Reasons items={result.skipped} label="Skipped" />
            {result.failed.length > 0 && <Alert>Some users could not be changed:</Alert>}
            <Reasons items={result.failed} label="Failed" />
            {codes && (
              <Alert>
                Email is not set up, so the new invitation codes were saved to tessera-invitations.csv. Give
                each person their code; Tessera erases its copy once the file is saved.
              </Alert>
            )}
            {saved.isError && (
              <Alert>
                {messageOf(saved.error)} Tessera keeps the codes and offers them again under Users › Import
                CSV.
              </Alert>
            )}
            <div className="form-actions">
              {result.csv !== null && (
                <Button
                  variant="secondary"
                  onClick={() => downloadText('tessera-users.csv', result.csv!, 'text/csv;charset=utf-8')}
                >
                  Save the CSV again
                </Button>
              )}
              {codes && (
                <Button
                  variant="secondary"
                  onClick={() => downloadText('tessera-invitations.csv', codes, 'text/csv;charset=utf-8')}
                >
                  Save the codes again
                </Button>
              )}
              <Button data-autofocus onClick={close}>
                Close
              </Button>
            </div>
          </>
        )}
      </div>
    </Dialog>
  )
}
