import { Fragment } from 'react'
import { useTranslation } from 'react-i18next'
import type { AuditEventDto } from '../../../shared/dto'
import { describeEvent } from '../format/events'
import { formatDateTime, formatIsoUtc } from '../format/time'
import styles from './EventList.module.css'

const rawValue = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v))

/** The event as stored, for whoever needs the exact record (type, numbers, data, hash). */
function RawEvent({ e }: { e: AuditEventDto }) {
  const { t } = useTranslation('ui')
  return (
    <details className={styles.details}>
      <summary>{t('events.details')}</summary>
      <dl className={styles.raw} aria-label={t('events.asRecorded')}>
        <dt>{t('events.event')}</dt>
        <dd>
          #{e.seq} {e.type}
        </dd>
        <dt>{t('events.timeUtc')}</dt>
        <dd>{formatIsoUtc(e.at)}</dd>
        <dt>{t('events.actor')}</dt>
        <dd>{e.actorId === null ? t('events.nobody') : `#${e.actorId}`}</dd>
        <dt>{t('events.subject')}</dt>
        <dd>{e.subjectId === null ? t('events.nobody') : `#${e.subjectId}`}</dd>
        {Object.entries(e.data).map(([k, v]) => (
          <Fragment key={k}>
            <dt>{k}</dt>
            <dd>{rawValue(v)}</dd>
          </Fragment>
        ))}
        <dt>{t('events.hash')}</dt>
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
  // Subscribed to the language: the sentences and times below are written in it.
  const { t } = useTranslation('ui')
  if (events.length === 0) return <p className="muted">{t('events.none')}</p>
  return (
    <table className="table" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">{t('events.time')}</th>
          <th scope="col">{t('events.what')}</th>
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
