import { waitFor } from '@testing-library/react'
import { startFakeSmtp, type FakeSmtp, type ReceivedMail } from '../../../../test/fixtures/fake-smtp'
import type { RealApi } from './harness'

/** A reset or invitation code as an email carries it: 26 base32 characters in groups of five. */
export const EMAILED_CODE = /[2-9A-HJ-NP-Z]{5}(?:-[2-9A-HJ-NP-Z]{1,5}){4,}/

export const ACCOUNT_NAME = 'Example Ltd'

/**
 * People's mailboxes for a test: email goes through the real SMTP client to a local SMTP server (plain
 * SMTP, allowed to 127.0.0.1 only), where a test reads a code where a person would — in the message.
 * Settings → Email is set straight on the service; who may change it is tested elsewhere. Closed with the
 * backend (closeAll).
 */
export interface Mailbox {
  fake: FakeSmtp
  /** The newest message to `to` whose subject contains `subject`, waited for. */
  received(to: string, subject: string): Promise<ReceivedMail>
  /** The code in the newest such message. */
  code(to: string, subject: string): Promise<string>
}

export async function connectMailbox(real: RealApi): Promise<Mailbox> {
  const fake = await startFakeSmtp({ tls: 'none' })
  const cleanup = real.cleanup
  real.cleanup = async () => {
    await cleanup()
    await fake.close()
  }
  await real.backend.services().email.configure(
    {
      provider: 'smtp',
      host: '127.0.0.1',
      port: fake.port,
      tls: 'none',
      from: 'Tessera <it@example.com>',
      accountName: ACCOUNT_NAME,
    },
    null,
  )
  const newest = (to: string, subject: string): ReceivedMail | undefined =>
    fake.messages.filter((m) => m.envelope.to.includes(to) && m.subject.includes(subject)).at(-1)
  const received = async (to: string, subject: string): Promise<ReceivedMail> => {
    let found: ReceivedMail | undefined
    await waitFor(() => {
      found = newest(to, subject)
      if (!found) throw new Error(`No email to ${to} about "${subject}" yet`)
    })
    return found!
  }
  return {
    fake,
    received,
    code: async (to, subject) => {
      const m = await received(to, subject)
      const code = EMAILED_CODE.exec(m.text ?? '')?.[0]
      if (!code) throw new Error(`No code in the email to ${to}: "${m.text}"`)
      return code
    },
  }
}
