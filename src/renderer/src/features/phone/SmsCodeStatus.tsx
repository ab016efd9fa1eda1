import type { SmsDelivery } from '../../../../shared/schemas'

/**
 * What became of the text message with a person's code, in plain words. Without an SMS provider the
 * message stays in this Tessera's local outbox: saying "we sent a code" would send them waiting for a
 * text that never comes.
 */
export function SmsCodeStatus({ masked, delivery }: { masked: string; delivery?: SmsDelivery | undefined }) {
  const to = <strong className="mono">{masked}</strong>
  switch (delivery) {
    case 'kept-locally':
      return (
        <p role="status" className="alert alert-warning">
          Your code for {to} was not sent: SMS is not set up here yet, so the message stays in the local
          outbox. Ask your admin for help.
        </p>
      )
    case 'queued':
      return (
        <p role="status" className="alert alert-warning">
          Your code for {to} is queued and goes out as soon as the SMS service answers. It works for 10
          minutes; ask your admin if it does not arrive.
        </p>
      )
    case 'not-delivered':
      return (
        <p role="alert" className="alert alert-error">
          The text message with your code could not be delivered to {to}. Send a new code later, or ask your
          admin for help.
        </p>
      )
    case 'delivered':
      return <p role="status">Your code was delivered to {to}. It works for 10 minutes.</p>
    case 'sent':
      return <p role="status">We sent a code to {to}. It works for 10 minutes.</p>
    default:
      // A code asked for earlier (the page was left and opened again): its fate is not known here.
      return <p role="status">A code was requested for {to}. It works for 10 minutes.</p>
  }
}
