import { render } from '@testing-library/react'
import type { SmsDelivery } from '../../../../shared/schemas'
import { SmsCodeStatus } from './SmsCodeStatus'

const shown = (delivery?: SmsDelivery) => {
  const { container, unmount } = render(<SmsCodeStatus masked="+34 ••• ••• 123" delivery={delivery} />)
  const text = container.textContent
  const role = container.firstElementChild?.getAttribute('role')
  unmount()
  return { text, role }
}

describe('SmsCodeStatus: what a person is told about the text message with their code', () => {
  it('says "sent" only when a provider took the message', () => {
    expect(shown('sent')).toEqual({
      text: 'We sent a code to +34 ••• ••• 123. It works for 10 minutes.',
      role: 'status',
    })
    expect(shown('delivered').text).toBe(
      'Your code was delivered to +34 ••• ••• 123. It works for 10 minutes.',
    )
  })

  it('says nothing was sent when the message stays in the local outbox', () => {
    const { text, role } = shown('kept-locally')
    expect(role).toBe('status')
    expect(text).toBe(
      'Your code for +34 ••• ••• 123 was not sent: SMS is not set up here yet, so the message stays in the local outbox. Ask your admin for help.',
    )
    expect(text).not.toMatch(/we sent/i)
  })

  it('says a queued code is queued, and a failed one was not delivered', () => {
    expect(shown('queued').text).toMatch(
      /^Your code for \+34 ••• ••• 123 is queued .*ask your admin if it does not arrive\.$/,
    )
    const failed = shown('not-delivered')
    expect(failed.role).toBe('alert')
    expect(failed.text).toMatch(/could not be delivered to \+34 ••• ••• 123/)
  })

  it('claims nothing about a code asked for before the page opened', () => {
    expect(shown().text).toBe('A code was requested for +34 ••• ••• 123. It works for 10 minutes.')
  })
})
