/**
 * The words of every email and SMS, in the recipient's language: their own choice (`users.language`),
 * else the account's default (the policy's `defaultLanguage`). Each message names the account, says what
 * happened and what the person should do, and holds no secret beyond the one-time code it exists to
 * deliver. The console lists `displayText`: the same text with that code replaced.
 */
import type { PolicyService } from '../policy'
import type {
  Catalog,
  EmailParts,
  InvitationFacts,
  Language,
  Notice,
  NoticeText,
  PasswordResetFacts,
} from './catalog'
import { en } from './en'
import { es } from './es'

export type { Language, Notice, SettingChange, Who } from './catalog'

const catalogs: Readonly<Record<Language, Catalog>> = { en, es }

/** The catalog of one language. */
export const messagesIn = (language: Language): Catalog => catalogs[language]

/** The language a person's messages are written in: theirs, else the account's default. */
export async function recipientLanguage(
  policy: PolicyService,
  person: { language: Language | null } | null | undefined,
): Promise<Language> {
  return person?.language ?? (await policy.get()).defaultLanguage
}

export interface ComposedEmail {
  subject: string
  text: string
  html: string
  /** The text with the code (if any) replaced by dots: what is kept once the message has left. */
  displayText: string
}

const MASK = '••••-••••'
/** The dots an SMS code's copy in the outbox shows in its place. */
export const SMS_CODE_MASK = '••••••'

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

/** Day, time and zone in the console's own texts (English): 2026-11-30 19:20 UTC. */
export const whenText = (ms: number): string =>
  new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC'

function compose(t: Catalog, account: string, name: string | null, p: EmailParts): ComposedEmail {
  const footer = t.footer(account)
  const hello = t.greeting(name)
  const textOf = (code: string | undefined): string =>
    [
      hello,
      ...p.lead,
      ...(code !== undefined && p.code ? [`${p.code.label}: ${code}`] : []),
      ...(p.then ?? []),
      footer,
    ].join('\n\n')
  const para = (s: string) => `<p>${escapeHtml(s)}</p>`
  const html = [
    '<!doctype html><html><body style="font-family: sans-serif; line-height: 1.5; color: #1a1a1a">',
    para(hello),
    ...p.lead.map(para),
    ...(p.code
      ? [
          `<p>${escapeHtml(p.code.label)}:</p>`,
          `<p style="font-family: monospace; font-size: 1.4em; letter-spacing: 0.1em"><strong>${escapeHtml(p.code.value)}</strong></p>`,
        ]
      : []),
    ...(p.then ?? []).map(para),
    `<p style="color: #555; font-size: 0.9em">${escapeHtml(footer)}</p>`,
    '</body></html>',
  ].join('\n')
  return {
    subject: t.subject(p.subject, account),
    text: textOf(p.code?.value),
    html,
    displayText: textOf(p.code ? MASK : undefined),
  }
}

export function testEmail(language: Language, account: string): ComposedEmail {
  const t = messagesIn(language)
  return compose(t, account, null, t.testEmail)
}

export function invitationEmail(language: Language, p: InvitationFacts & { name: string }): ComposedEmail {
  const t = messagesIn(language)
  return compose(t, p.account, p.name, t.invitation(p))
}

export function passwordResetEmail(
  language: Language,
  p: PasswordResetFacts & { account: string; name: string },
): ComposedEmail {
  const t = messagesIn(language)
  return compose(t, p.account, p.name, t.passwordReset(p))
}

/** A notice's subject and paragraphs, and its SMS twin (short, no link, no code; null: none). */
export const noticeParts = (language: Language, n: Notice): NoticeText => messagesIn(language).notice(n)

export function noticeEmail(language: Language, account: string, name: string, n: Notice): ComposedEmail {
  const t = messagesIn(language)
  const parts = t.notice(n)
  return compose(t, account, name, { subject: parts.subject, lead: parts.lead })
}

/** An SMS that carries a code: what is sent, and the copy the outbox keeps (the code as dots). */
export function codeSms(
  language: Language,
  which: 'phoneVerifySms' | 'loginCodeSms',
  code: string,
): { body: string; displayText: string } {
  const t = messagesIn(language)
  return { body: t[which](code), displayText: t[which](SMS_CODE_MASK) }
}
