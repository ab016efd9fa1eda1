import { Fragment } from 'react'
import type { AuditEventDto } from '../../../shared/dto'
import { describeEvent } from '../format/events'
import { formatDateTime, formatIsoUtc } from '../format/time'
import styles from './EventList.module.css'

const rawValue = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v))

/** The event as stored, for whoever needs the exact record (type, numbers, data, hash). */
function RawEvent({ e }: { e: AuditEventDto }) {
  return (
    <details className={styles.details}>
      <summary>Details</summary>
      <dl className={styles.raw} aria-label="Event as recorded">
        <dt>Event</dt>
        <dd>
          #{e.seq} {e.type}
        </dd>
        <dt>Time (UTC)</dt>
        <dd>{formatIsoUtc(e.at)}</dd>
        <dt>Actor</dt>
        <dd>{e.actorId === null ? 'none' : `#${e.actorId}`}</dd>
        <dt>Subject</dt>
        <dd>{e.subjectId === null ? 'none' : `#${e.subjectId}`}</dd>
        {Object.entries(e.data).map(([k, v]) => (
          <Fragment key={k}>
            <dt>{k}</dt>
            <dd>{rawValue(v)}</dd>
          </Fragment>
        ))}
        <dt>Hash</dt>
        <dd>{e.hash}</dd>
      </dl>
    </details>
  )
}

/**
 * Audit events as sentences with people's names, newest first as given, each with its time to the
 * second and the raw record behind "Details". Every event list in the console is this one.
 */
export function EventList({ events, label }: { events: readonly AuditEventDto[]; label: string }) {
  if (events.length === 0) return <p className="muted">No events yet.</p>
  return (
    <table className="table" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">What happened</th>
        </tr>
      </thead>
      <tbody>
        {events.map((e) => (
          <tr key={e.seq}>
            <td className={styles.when}>{formatDateTime(e.at, { seconds: true })}</td>
            <td>
              <p className={styles.sentence}>{describeEvent(e)}</p>
              <RawEvent e={e} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
