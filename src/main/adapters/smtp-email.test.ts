import { createServer } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  codeIn,
  fakeSmtpUnavailable,
  startFakeSmtp,
  type FakeSmtp,
  type FakeSmtpTls,
} from '../../../test/fixtures/fake-smtp'
import type { EmailTlsMode, OutgoingEmail, SendOutcome, SmtpCredentials } from '../core/email'
import { createSmtpSender, type SmtpSenderOptions } from './smtp-email'

/**
 * The SMTP adapter with the real nodemailer client against a real SMTP server of the test's own
 * (smtp-server on 127.0.0.1 with a throwaway self-signed certificate): what is accepted arrives intact,
 * and every failure the server or the network can produce becomes the right outcome with a reason
 * people can act on, never carrying the password or the code the message holds.
 */

const USER = 'tessera-mailer'
const PASSWORD = 'smtp-pw-Zq81-secret'
const CODE = '482913'

const message = (overrides: Partial<OutgoingEmail> = {}): OutgoingEmail => ({
  to: 'alice@example.test',
  subject: 'Votre code Tessera — vérification',
  text: `Your verification code is ${CODE}.\nIt expires in 10 minutes. Ça marche = oui.`,
  html: `<p>Your verification code is <b>${CODE}</b>.</p><p>It expires in 10 minutes. Ça marche = oui.</p>`,
  ...overrides,
})

const credentials = (
  server: { host: string; port: number },
  tls: EmailTlsMode,
  o: Partial<SmtpCredentials> = {},
) => ({
  host: server.host,
  port: server.port,
  tls,
  user: USER,
  password: PASSWORD,
  from: 'Tessera <no-reply@tessera.example.test>',
  ...o,
})

/** Sends one message through a new sender and closes it. */
async function sendOnce(
  creds: SmtpCredentials,
  options: SmtpSenderOptions,
  m = message(),
): Promise<SendOutcome> {
  const sender = createSmtpSender(creds, options)
  try {
    return await sender.send(m)
  } finally {
    sender.close?.()
  }
}

/** The reason of a failed outcome of this kind; it never carries the password or the code. */
function reasonOf(outcome: SendOutcome, kind: 'retryable' | 'permanent'): string {
  expect(outcome.kind).toBe(kind)
  if (outcome.kind === 'accepted') throw new Error('accepted')
  expect(outcome.reason).not.toContain(PASSWORD)
  expect(outcome.reason).not.toContain(CODE)
  expect(outcome.reason).not.toMatch(/[\r\n]/)
  return outcome.reason
}

/** A port of 127.0.0.1 where nothing listens (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

const unavailable = fakeSmtpUnavailable()
const modes: FakeSmtpTls[] = ['implicit', 'starttls', 'none']

describe.skipIf(unavailable !== undefined)(
  `the SMTP adapter against a local SMTP server${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    describe.each(modes)('TLS mode %s', (mode) => {
      let server: FakeSmtp
      const trusted = (): SmtpSenderOptions => ({ tlsCa: server.ca, timeoutMs: 5_000 })
      beforeAll(async () => {
        server = await startFakeSmtp({ tls: mode, auth: { user: USER, pass: PASSWORD } })
      })
      afterAll(() => server?.close())

      it('a message is accepted and arrives with its subject, text and HTML intact', async () => {
        const before = server.messages.length
        const outcome = await sendOnce(credentials(server, mode), trusted())
        expect(outcome).toEqual({ kind: 'accepted', sid: expect.stringMatching(/^<.+>$/), status: 'sent' })
        expect(server.messages).toHaveLength(before + 1)
        const received = server.messages.at(-1)!
        expect(received.subject).toBe('Votre code Tessera — vérification')
        expect(received.text?.trimEnd()).toBe(message().text)
        expect(received.html?.trimEnd()).toBe(message().html)
        expect(codeIn(received.text)).toBe(CODE)
        expect(received.from).toBe('Tessera <no-reply@tessera.example.test>')
        expect(received.to).toBe('alice@example.test')
        expect(received.envelope).toEqual({
          from: 'no-reply@tessera.example.test',
          to: ['alice@example.test'],
        })
        expect(received.headers['message-id']).toBe(outcome.kind === 'accepted' ? outcome.sid : '')
        expect(received.user).toBe(USER)
        // Encrypted in both TLS modes; plain only in 'none' (allowed because the server is this machine).
        expect(received.secure).toBe(mode !== 'none')
      })

      it('one sender sends several messages, and again after close()', async () => {
        const sender = createSmtpSender(credentials(server, mode), trusted())
        const before = server.messages.length
        expect((await sender.send(message({ subject: 'one' }))).kind).toBe('accepted')
        expect((await sender.send(message({ subject: 'two' }))).kind).toBe('accepted')
        sender.close?.()
        expect((await sender.send(message({ subject: 'three' }))).kind).toBe('accepted')
        sender.close?.()
        expect(server.messages.slice(before).map((m) => m.subject)).toEqual(['one', 'two', 'three'])
      })

      it.each([
        { at: 'mail', code: 421, message: '4.3.2 Service shutting down, try later' },
        { at: 'rcpt', code: 451, message: '4.7.1 Greylisted, please try again' },
      ] as const)('$code at $at: retryable, with the reply', async (reply) => {
        server.script(reply)
        const before = server.messages.length
        const reason = reasonOf(await sendOnce(credentials(server, mode), trusted()), 'retryable')
        expect(reason).toBe(`The mail server asked to try later: ${reply.code} ${reply.message}`)
        expect(server.messages).toHaveLength(before)
      })

      it.each([
        { at: 'rcpt', code: 550, message: '5.1.1 No such user' },
        { at: 'data', code: 553, message: '5.7.1 Sender address rejected: not owned by user' },
      ] as const)('$code at $at: permanent, with the server reply quoted', async (reply) => {
        server.script(reply)
        const before = server.messages.length
        const reason = reasonOf(await sendOnce(credentials(server, mode), trusted()), 'permanent')
        expect(reason).toBe(`The mail server refused the message: ${reply.code} ${reply.message}`)
        expect(server.messages).toHaveLength(before)
      })

      it('503 (bad sequence of commands) is not a refusal of the message: retryable', async () => {
        server.script({ at: 'mail', code: 503, message: '5.5.1 Error: nested MAIL command' })
        const reason = reasonOf(await sendOnce(credentials(server, mode), trusted()), 'retryable')
        expect(reason).toBe('The mail server gave an unexpected answer: 503 5.5.1 Error: nested MAIL command')
      })

      it('a reply that quotes the password or the code shows neither', async () => {
        server.script({ at: 'data', code: 554, message: `5.7.1 Spam: "${CODE}" from ${USER}:${PASSWORD}` })
        const reason = reasonOf(await sendOnce(credentials(server, mode), trusted()), 'permanent')
        expect(reason).toBe(
          `The mail server refused the message: 554 5.7.1 Spam: "[redacted]" from ${USER}:[redacted]`,
        )
      })

      it('a long reply is capped', async () => {
        server.script({ at: 'rcpt', code: 550, message: `5.1.1 ${'x'.repeat(600)}` })
        const reason = reasonOf(await sendOnce(credentials(server, mode), trusted()), 'permanent')
        expect(reason.length).toBeLessThan(300)
        expect(reason).toMatch(/^The mail server refused the message: 550 5\.1\.1 x+…$/)
      })

      it('wrong credentials (535): permanent', async () => {
        const outcome = await sendOnce(credentials(server, mode, { password: 'not-the-password' }), trusted())
        expect(reasonOf(outcome, 'permanent')).toBe(
          'The mail server refused the user name or password (535 5.7.8 Authentication credentials invalid)',
        )
        expect(JSON.stringify(outcome)).not.toContain('not-the-password')
      })

      it('a user name without a password: permanent, before anything is sent', async () => {
        const outcome = await sendOnce(credentials(server, mode, { password: null }), trusted())
        expect(reasonOf(outcome, 'permanent')).toBe(
          'A user name is set for the mail server but no password: set both, or neither',
        )
      })

      it('no user name for a server that requires one (530): permanent', async () => {
        const outcome = await sendOnce(credentials(server, mode, { user: null, password: null }), trusted())
        expect(reasonOf(outcome, 'permanent')).toMatch(
          /^The mail server requires a user name and password: 530 /,
        )
      })

      it.skipIf(mode === 'none')('a certificate that is not trusted (no CA given): permanent', async () => {
        const before = server.messages.length
        const outcome = await sendOnce(credentials(server, mode), { timeoutMs: 5_000 })
        expect(reasonOf(outcome, 'permanent')).toBe(
          "The mail server's certificate is not trusted: it is self-signed (DEPTH_ZERO_SELF_SIGNED_CERT)",
        )
        expect(server.messages).toHaveLength(before)
      })

      it('a server that accepts the connection and never answers: retryable within the timeout', async () => {
        const hanging = await startFakeSmtp({ tls: mode, hang: true })
        try {
          const started = Date.now()
          const outcome = await sendOnce(credentials(hanging, mode), { tlsCa: hanging.ca, timeoutMs: 300 })
          expect(reasonOf(outcome, 'retryable')).toBe('The mail server did not answer within 300 ms')
          expect(Date.now() - started).toBeLessThan(5_000)
          expect(hanging.connections).toBe(1)
        } finally {
          await hanging.close()
        }
      })
    })

    it('connection refused (nothing listens on the port): retryable', async () => {
      const port = await closedPort()
      const outcome = await sendOnce(credentials({ host: '127.0.0.1', port }, 'starttls'), {
        timeoutMs: 2_000,
      })
      expect(reasonOf(outcome, 'retryable')).toBe('The mail server cannot be reached (ECONNREFUSED)')
    })

    it('STARTTLS required and the server does not offer it: permanent, and nothing is sent in the clear', async () => {
      const plain = await startFakeSmtp({ tls: 'none', auth: { user: USER, pass: PASSWORD } })
      try {
        const outcome = await sendOnce(credentials(plain, 'starttls'), { tlsCa: plain.ca, timeoutMs: 5_000 })
        expect(reasonOf(outcome, 'permanent')).toBe(
          'The mail server does not offer STARTTLS, and this setup requires it (500 Error: command not recognized)',
        )
        expect(plain.messages).toHaveLength(0)
      } finally {
        await plain.close()
      }
    })

    it('implicit TLS to a server that speaks plain SMTP on that port: permanent', async () => {
      const plain = await startFakeSmtp({ tls: 'none' })
      try {
        const outcome = await sendOnce(credentials(plain, 'implicit'), { tlsCa: plain.ca, timeoutMs: 5_000 })
        expect(reasonOf(outcome, 'permanent')).toBe(
          'The TLS connection to the mail server failed (ERR_SSL_WRONG_VERSION_NUMBER): check the port and the TLS mode',
        )
      } finally {
        await plain.close()
      }
    })

    it('the certificate names localhost too: implicit TLS by that name is accepted', async () => {
      const server = await startFakeSmtp({ tls: 'implicit' })
      try {
        const ok = await sendOnce(credentials({ host: 'localhost', port: server.port }, 'implicit'), {
          tlsCa: server.ca,
          timeoutMs: 5_000,
        })
        expect(ok.kind).toBe('accepted')
      } finally {
        await server.close()
      }
    })

    it("plain SMTP ('none') to a host that is not this machine: permanent, without connecting", async () => {
      const server = await startFakeSmtp({ tls: 'none' })
      try {
        for (const host of ['mail.example.test', '10.0.0.25', '127.0.0.1.example.test']) {
          const started = Date.now()
          const outcome = await sendOnce(credentials({ host, port: server.port }, 'none'), {
            timeoutMs: 5_000,
          })
          expect(reasonOf(outcome, 'permanent')).toBe(
            `Plain SMTP (no TLS) is allowed only to this machine, not to ${host}: choose STARTTLS or implicit TLS`,
          )
          expect(Date.now() - started).toBeLessThan(200)
        }
        // the same server by a loopback name is fine
        const ok = await sendOnce(credentials({ host: 'localhost', port: server.port }, 'none'), {
          timeoutMs: 5_000,
        })
        expect(ok.kind).toBe('accepted')
        expect(server.connections).toBe(1)
      } finally {
        await server.close()
      }
    })
  },
)
