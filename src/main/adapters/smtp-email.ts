import { readFileSync } from 'node:fs'
import type { NodemailerError, SMTPTransportOptions, Transporter } from 'nodemailer'
import {
  isLoopbackHost,
  type EmailSender,
  type OutgoingEmail,
  type SendOutcome,
  type SmtpCredentials,
} from '../core/email'

export interface SmtpSenderOptions {
  /** How long connecting, the greeting and each later wait may take (retryable when over). Default 10 s. */
  timeoutMs?: number
  /** A CA to trust for the server's certificate (PEM), instead of the system's; certificates are always verified. */
  tlsCa?: string | Buffer
}

/** Why a certificate failed verification, for the codes Node's TLS stack gives, in plain words. */
const CERTIFICATE_ERRORS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'it is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'its chain ends in a self-signed certificate that is not trusted here',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its issuer is not a known certificate authority',
  UNABLE_TO_GET_ISSUER_CERT: 'its issuer is not a known certificate authority',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its issuer is not a known certificate authority',
  CERT_HAS_EXPIRED: 'it has expired',
  CERT_NOT_YET_VALID: 'it is not valid yet',
  CERT_REVOKED: 'it was revoked',
  CERT_UNTRUSTED: 'it is not trusted for this purpose',
  CERT_REJECTED: 'it is rejected for this purpose',
  CERT_SIGNATURE_FAILURE: 'its signature is invalid',
  INVALID_CA: 'a certificate of its chain is not a valid authority',
  ERR_TLS_CERT_ALTNAME_INVALID: 'it is not issued for this host name',
}

/** Network failures: trying later may work. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTDOWN',
  'EPIPE',
  'ECONNABORTED',
])

/** nodemailer's own error codes: the system code under one of them, if any, is in `originalCode`. */
const NODEMAILER_CODES = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ETLS',
  'EREQUIRETLS',
  'EPROTOCOL',
  'EENVELOPE',
  'EMESSAGE',
  'EOTP',
  'ESTREAM',
  'EABORT',
  'EAUTH',
  'ENOAUTH',
  'EOAUTH2',
  'EMAXLIMIT',
  'EMAXRECIPIENTS',
  'ECONFIG',
  'EPROXY',
  'EFILEACCESS',
  'EURLACCESS',
  'EFETCH',
])

const MAX_REPLY = 200

/** The server's reply as one line, capped: it is shown as is. */
function replyLine(response: unknown): string {
  const line = String(response)
    .replace(/[\r\n]+/g, ' ')
    .trim()
  return line.length > MAX_REPLY ? `${line.slice(0, MAX_REPLY - 1)}…` : line
}

const within = (timeoutMs: number): string =>
  timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`

/**
 * Turns whatever nodemailer threw into an outcome. Only nodemailer's error code, the system error code,
 * the SMTP reply code and the server's reply line are used, never the error message: it is built by the
 * client and is not meant for people. The caller scrubs the password and the body's digits out of it.
 */
export function classifySmtpError(e: unknown, timeoutMs: number): SendOutcome {
  if (typeof e !== 'object' || e === null) {
    return { kind: 'retryable', reason: 'Unexpected error while sending through the mail server' }
  }
  const err = e as NodemailerError
  const responseCode = typeof err.responseCode === 'number' ? err.responseCode : null
  const reply = err.response ? replyLine(err.response) : null
  const systemCode = err.originalCode ?? (err.code && !NODEMAILER_CODES.has(err.code) ? err.code : undefined)

  // STARTTLS required (starttls mode) and the server answers it with an error: it does not offer it.
  if (err.code === 'ETLS' && err.command === 'STARTTLS' && responseCode !== null) {
    if (responseCode >= 400 && responseCode < 500) {
      return { kind: 'retryable', reason: `The mail server cannot start TLS now: ${reply}` }
    }
    return {
      kind: 'permanent',
      reason: `The mail server does not offer STARTTLS, and this setup requires it (${reply})`,
    }
  }

  const certificate = systemCode ? CERTIFICATE_ERRORS[systemCode] : undefined
  if (certificate) {
    return {
      kind: 'permanent',
      reason: `The mail server's certificate is not trusted: ${certificate} (${systemCode})`,
    }
  }
  if (systemCode && /^ERR_SSL_|^ERR_TLS_|^EPROTO$/.test(systemCode)) {
    return {
      kind: 'permanent',
      reason: `The TLS connection to the mail server failed (${systemCode}): check the port and the TLS mode`,
    }
  }

  if (err.code === 'EAUTH') {
    if (responseCode !== null && responseCode >= 400 && responseCode < 500) {
      return {
        kind: 'retryable',
        reason: `The mail server cannot check the user name or password now: ${reply}`,
      }
    }
    if (reply) {
      return { kind: 'permanent', reason: `The mail server refused the user name or password (${reply})` }
    }
    // Raised by the client before asking the server: a user name without a password.
    return {
      kind: 'permanent',
      reason: 'A user name is set for the mail server but no password: set both, or neither',
    }
  }

  if (responseCode !== null && reply) {
    if (responseCode >= 400 && responseCode < 500) {
      return { kind: 'retryable', reason: `The mail server asked to try later: ${reply}` }
    }
    if (responseCode === 530) {
      return { kind: 'permanent', reason: `The mail server requires a user name and password: ${reply}` }
    }
    // 503 (bad sequence of commands) is a session in the wrong state, not a refusal of the message.
    if (responseCode >= 500 && responseCode < 600 && responseCode !== 503) {
      return { kind: 'permanent', reason: `The mail server refused the message: ${reply}` }
    }
    return { kind: 'retryable', reason: `The mail server gave an unexpected answer: ${reply}` }
  }

  if (err.code === 'ETIMEDOUT' || systemCode === 'ETIMEDOUT') {
    return { kind: 'retryable', reason: `The mail server did not answer within ${within(timeoutMs)}` }
  }
  if (systemCode && NETWORK_CODES.has(systemCode)) {
    return { kind: 'retryable', reason: `The mail server cannot be reached (${systemCode})` }
  }
  if (err.code === 'EDNS') {
    return { kind: 'retryable', reason: `The mail server cannot be reached (${systemCode ?? 'EDNS'})` }
  }
  if (err.code === 'ECONNECTION' || err.code === 'ESOCKET' || err.code === 'ETLS') {
    return {
      kind: 'retryable',
      reason: systemCode
        ? `The mail server cannot be reached (${systemCode})`
        : 'The mail server closed the connection unexpectedly',
    }
  }
  // Anything else (a malformed answer, a bug): try again later rather than lose the message.
  return {
    kind: 'retryable',
    reason: `Unexpected error while sending through the mail server${err.code ? ` (${err.code})` : ''}`,
  }
}

/**
 * Takes out of a reason what must never be shown: the password, and any run of digits that is also in
 * the message (a server that quotes the body in its reply would otherwise show the code it carries).
 */
function scrub(
  outcome: SendOutcome,
  secrets: { password: string | null; message: OutgoingEmail },
): SendOutcome {
  if (outcome.kind === 'accepted') return outcome
  let reason = outcome.reason
  const { password, message } = secrets
  if (password && password.length >= 4) reason = reason.split(password).join('[redacted]')
  const body = `${message.subject}\n${message.text}\n${message.html}`
  reason = reason.replace(/\d{4,}/g, (digits) => (body.includes(digits) ? '[redacted]' : digits))
  return { ...outcome, reason }
}

/** The transport options for one server: TLS per mode, certificates always verified, no file or URL access. */
function transportOptions(
  creds: SmtpCredentials,
  timeoutMs: number,
  tlsCa?: string | Buffer,
): SMTPTransportOptions {
  return {
    host: creds.host,
    port: creds.port,
    secure: creds.tls === 'implicit',
    requireTLS: creds.tls === 'starttls',
    ignoreTLS: creds.tls === 'none',
    tls: { rejectUnauthorized: true, minVersion: 'TLSv1.2', ...(tlsCa ? { ca: tlsCa } : {}) },
    ...(creds.user ? { auth: { user: creds.user, pass: creds.password ?? '' } } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    dnsTimeout: timeoutMs,
    disableFileAccess: true,
    disableUrlAccess: true,
  }
}

/** The SMTP adapter: the real `nodemailer` client, one transport per sender, and a classified outcome. */
export function createSmtpSender(creds: SmtpCredentials, options: SmtpSenderOptions = {}): EmailSender {
  const timeoutMs = options.timeoutMs ?? 10_000
  let transporter: Transporter | undefined
  // nodemailer is loaded when a message first goes out, not with every command that opens the database.
  const transport = async (): Promise<Transporter> => {
    const { default: nodemailer } = await import('nodemailer')
    return (transporter ??= nodemailer.createTransport(transportOptions(creds, timeoutMs, options.tlsCa)))
  }
  return {
    provider: 'smtp',
    async send(message: OutgoingEmail): Promise<SendOutcome> {
      // The rule holds here too, whatever the settings layer let through: no plain SMTP off this machine.
      if (creds.tls === 'none' && !isLoopbackHost(creds.host)) {
        return {
          kind: 'permanent',
          reason: `Plain SMTP (no TLS) is allowed only to this machine, not to ${replyLine(creds.host)}: choose STARTTLS or implicit TLS`,
        }
      }
      try {
        const info = await (
          await transport()
        ).sendMail({
          ...(message.messageId ? { messageId: message.messageId } : {}),
          from: creds.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
        })
        // One recipient: a refused one makes nodemailer throw (EENVELOPE). Should the server still report
        // it as rejected in a success, the message did not go: permanent, with the server's reply.
        if ((info.rejected ?? []).length > 0) {
          const first = (info.rejectedErrors as NodemailerError[] | undefined)?.[0]
          const reply = first?.response ? `: ${replyLine(first.response)}` : ''
          return scrub(
            { kind: 'permanent', reason: `The mail server refused the recipient${reply}` },
            { password: creds.password, message },
          )
        }
        return { kind: 'accepted', sid: info.messageId ?? null, status: 'sent' }
      } catch (e) {
        return scrub(classifySmtpError(e, timeoutMs), { password: creds.password, message })
      }
    },
    close(): void {
      transporter?.close()
      transporter = undefined
    },
  }
}

/** Certificates to trust for SMTP besides the system's: the PEM file named by TESSERA_SMTP_CA_FILE. */
export function smtpCaFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const file = env.TESSERA_SMTP_CA_FILE
  if (!file) return undefined
  try {
    return readFileSync(file, 'utf8')
  } catch (e) {
    throw new Error(
      `TESSERA_SMTP_CA_FILE names a file that cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}): ${file}`,
      { cause: e },
    )
  }
}
