import { render, screen } from '@testing-library/react'
import { AccessCodeShown } from './AccessCodeShown'

const base = {
  requestId: 3,
  delivery: 'sms' as const,
  phone: '+34 ••• ••• 123',
  expiresAt: Date.UTC(2026, 10, 29),
}

describe('AccessCodeShown', () => {
  it('says the code went by SMS, never showing it', () => {
    render(
      <AccessCodeShown
        issued={{ ...base, sms: { status: 'sent', lastError: null, delivery: 'sent' } }}
        onHide={() => {}}
      />,
    )
    expect(screen.getByRole('status')).toHaveTextContent(/sent by SMS to \+34 ••• ••• 123/)
  })

  it('says so when Twilio reports the SMS delivered', () => {
    render(
      <AccessCodeShown
        issued={{ ...base, sms: { status: 'delivered', lastError: null, delivery: 'delivered' } }}
        onHide={() => {}}
      />,
    )
    expect(screen.getByRole('status')).toHaveTextContent(/delivered by SMS to \+34 ••• ••• 123/)
  })

  it('never says "sent" when the SMS only reached the local outbox', () => {
    render(
      <AccessCodeShown
        issued={{ ...base, sms: { status: 'sent', lastError: null, delivery: 'kept-locally' } }}
        onHide={() => {}}
      />,
    )
    const alert = screen.getByRole('alert')
    expect(alert).toHaveTextContent(
      /was not sent: SMS is not set up, so the message stays in the local outbox and will not reach them/,
    )
    expect(alert).toHaveTextContent('Settings → SMS')
    expect(alert).not.toHaveTextContent(/sent by SMS/)
  })

  it('warns the agent when the SMS could not be sent, with the reason', () => {
    render(
      <AccessCodeShown
        issued={{
          ...base,
          sms: {
            status: 'failed',
            lastError: 'The phone number is not valid (Twilio error 21211)',
            delivery: 'not-delivered',
          },
        }}
        onHide={() => {}}
      />,
    )
    expect(screen.getByRole('alert')).toHaveTextContent(
      /could not be sent: The phone number is not valid \(Twilio error 21211\)\. The code will not reach them/,
    )
  })

  it('says when the SMS waits in the outbox for Twilio', () => {
    render(
      <AccessCodeShown
        issued={{
          ...base,
          sms: { status: 'queued', lastError: 'Twilio is unavailable (HTTP 500)', delivery: 'queued' },
        }}
        onHide={() => {}}
      />,
    )
    expect(screen.getByRole('status')).toHaveTextContent(
      /waits in the SMS outbox for \+34 ••• ••• 123 \(Twilio is unavailable \(HTTP 500\)\)/,
    )
  })

  it('says a password reset code went by email, never showing it', () => {
    render(
      <AccessCodeShown
        issued={{ requestId: 4, delivery: 'email', to: 'adam@example.com', expiresAt: base.expiresAt }}
        purpose="password"
        onHide={() => {}}
      />,
    )
    const status = screen.getByRole('status')
    expect(status).toHaveTextContent(
      /The password reset code was emailed to adam@example\.com\. It works once/,
    )
    expect(status).toHaveTextContent('Forgot password?, then I have a reset code')
  })

  it('shows a password reset code once, with how to use it', () => {
    const code = 'ABCDE-FGHJK-LMNPQ-RSTUV-WXYZ2-3'
    render(
      <AccessCodeShown
        issued={{ requestId: 4, delivery: 'agent', code, expiresAt: base.expiresAt }}
        purpose="password"
        onHide={() => {}}
      />,
    )
    const shown = screen.getByRole('region', { name: 'Password reset code' })
    expect(shown).toHaveTextContent('it will not be shown again')
    expect(shown).toHaveTextContent('It is a password reset code.')
    expect(shown).toHaveTextContent('Their two-factor authentication stays as it is.')
    expect(shown).not.toHaveTextContent('set up a new authenticator')
  })
})
