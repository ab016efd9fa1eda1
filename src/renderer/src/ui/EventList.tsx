import type { AuditEventDto } from '../../../shared/dto'
import { dateTime, eventDetails } from '../features/users/format'

/** A short list of audit events (a user's page, the dashboard); the Audit log has the full trail. */
export function EventList({
  events,
  label,
  names,
}: {
  events: readonly AuditEventDto[]
  label: string
  /** Names for actor ids the page knows; others show as #id. */
  names?: ReadonlyMap<number, string>
}) {
  if (events.length === 0) return <p className="muted">No events yet.</p>
  return (
    <table className="table" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">Event</th>
          <th scope="col">By</th>
          <th scope="col">Details</th>
        </tr>
      </thead>
      <tbody>
        {events.map((e) => (
          <tr key={e.seq}>
            <td className="nowrap">{dateTime(e.at)}</td>
            <td className="mono">{e.type}</td>
            <td className={e.actorId !== null && names?.has(e.actorId) ? undefined : 'num'}>
              {e.actorId === null ? '—' : (names?.get(e.actorId) ?? `#${e.actorId}`)}
            </td>
            <td className="details">{eventDetails(e.data)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
