import { roleLabel } from '../../../shared/access'
import type { Policy } from '../../../shared/schemas'
import {
  whenFormat,
  type Catalog,
  type Notice,
  type NoticeText,
  type SettingChange,
  type Who,
} from './catalog'

const when = whenFormat('en-US')

/** Who, in a sentence: `start` when it opens one. */
const who = (w: Who, start: boolean): string => {
  if (w === 'key-holder') return start ? 'The key holder' : 'the key holder'
  const name = w.name ?? (start ? 'Someone' : 'someone')
  // The access rules' own names for roles, in a sentence's lower case.
  return w.role ? `${name} (${roleLabel[w.role].toLowerCase()})` : name
}

const FIELD: Record<keyof Policy, string> = {
  idleLockMinutes: 'idle lock',
  sessionLifetimeHours: 'session lifetime',
  failuresBeforeDelay: 'failures before slowing down',
  failuresBeforeLock: 'failures before locking',
  lockMinutes: 'lock duration',
  requireTwoFactorForNewUsers: '2FA for new users',
  gracePeriodDays: 'grace period',
  recoveryCoolingOffMinutes: 'recovery cooling-off',
  recoveryRequestHours: 'recovery request expiry',
  noticesBy: 'security notices',
  defaultLanguage: 'default language',
}

const settingText = (s: SettingChange): string => {
  if (s.setting === 'policy')
    return s.changes.map((c) => `${FIELD[c.field]} ${String(c.from)} → ${String(c.to)}`).join(', ')
  return `${s.setting === 'sms' ? 'SMS' : 'email'} provider ${s.provider}${s.at ? ` at ${s.at}` : ''}`
}

const NOT_YOU = 'If this was not you, contact your administrator now.'

function notice(n: Notice): NoticeText {
  switch (n.kind) {
    case '2fa_enabled':
      return {
        subject: 'Two-factor authentication is on',
        lead: [
          'Two-factor authentication was turned on for your account: signing in now takes your password and a code from your authenticator app.',
          'Keep your backup codes somewhere safe. ' + NOT_YOU,
        ],
        // Informational: the SMS caps are kept for codes and warnings.
        sms: null,
      }
    case '2fa_disabled':
      return {
        subject: 'Two-factor authentication was turned off',
        lead: [
          n.by
            ? `${who(n.by, true)} turned off two-factor authentication for your account: your authenticator app and backup codes no longer work.`
            : 'Two-factor authentication was turned off for your account: your authenticator app and backup codes no longer work.',
          `Your password alone now signs you in. Turn it on again in My profile. ${NOT_YOU}`,
        ],
        sms: `Tessera: two-factor authentication was turned off for your account. ${NOT_YOU}`,
      }
    case 'backup_codes_regenerated':
      return {
        subject: 'New backup codes',
        lead: [
          'A new set of backup codes was created for your account; the old codes no longer work.',
          `Keep the new ones somewhere safe. ${NOT_YOU}`,
        ],
        sms: null,
      }
    case 'backup_code_used': {
      const what =
        n.left === 0
          ? 'You have no backup codes left: sign in with your app and create a new set in My profile now, or you may lose access if you lose your device.'
          : n.left === 1
            ? 'You have 1 backup code left: create a new set in My profile soon.'
            : `You have ${n.left} backup codes left.`
      return {
        subject: 'A backup code was used',
        lead: [`Backup code ${n.slot} of 5 was used to sign in to your account.`, what, NOT_YOU],
        sms: `Tessera: backup code ${n.slot} of 5 was used to sign in; ${n.left} left. ${NOT_YOU}`,
      }
    }
    case 'phone_added':
      return {
        subject: 'Emergency phone added',
        lead: [`${n.phone} is now the emergency phone of your account. ${NOT_YOU}`],
        // The phone has just received its verification code: it needs no second message.
        sms: null,
      }
    case 'phone_changed':
      return {
        subject: 'Emergency phone changed',
        lead: [`The emergency phone of your account was changed from ${n.old} to ${n.phone}. ${NOT_YOU}`],
        sms: `Your Tessera emergency phone was changed to ${n.phone}. If you did not do this, contact your administrator now.`,
      }
    case 'recovery_filed': {
      const what =
        n.purpose === 'password'
          ? 'password'
          : n.purpose === 'both'
            ? 'password and two-factor authentication'
            : 'two-factor authentication'
      return n.byAdmin
        ? {
            subject: 'A reset of your account was requested',
            lead: [
              `An administrator asked to reset the ${what} of your account. Two approvers will check who you are before anything changes. ${NOT_YOU}`,
            ],
            sms: `An administrator asked to reset the ${what} of your Tessera account. If you did not expect this, contact your administrator now.`,
          }
        : {
            subject: 'You asked support for help',
            lead: [
              `Someone asked support to recover your account${n.purpose === 'both' ? ' (a new password and a new authenticator)' : ''}. Support will contact you to check who you are. ${NOT_YOU}`,
            ],
            sms: 'Someone asked Tessera support to recover your account. If this was not you, contact your administrator now.',
          }
    }
    case 'recovery_approved':
      return {
        subject: 'Your recovery request was approved',
        lead: [
          n.effectiveAt
            ? `Support approved the request to recover your account. A temporary access code can be issued after ${when(n.effectiveAt)}.`
            : 'Support approved the request to recover your account.',
          NOT_YOU,
        ],
        sms: n.effectiveAt
          ? `Tessera support approved the request to recover your account. A temporary access code can be issued after ${when(n.effectiveAt)}. If you did not ask for this, contact your administrator now.`
          : 'Tessera support approved the request to recover your account. If you did not ask for this, contact your administrator now.',
      }
    case 'recovery_code_issued': {
      const where =
        n.via === 'sms'
          ? 'it was sent to your emergency phone'
          : n.via === 'email'
            ? 'it was sent in a separate email'
            : 'support will read it out to you'
      return {
        subject:
          n.code === 'password_reset'
            ? 'A password reset code was issued'
            : 'A temporary access code was issued',
        lead: [
          n.code === 'password_reset'
            ? `Support issued a password reset code for your account; ${where}. It works once, for 30 minutes; your two-factor authentication stays as it is.`
            : `Support issued a temporary access code for your account; ${where}. Use it once, within 24 hours; you will then set up a new authenticator app.`,
          NOT_YOU,
        ],
        // The code itself goes by SMS or email, or is read out: a second SMS would add nothing.
        sms: null,
      }
    }
    case 'recovery_completed':
      return {
        subject: 'Your account was recovered',
        lead: [
          'Your account was recovered with a temporary access code: your old authenticator and backup codes no longer work, and you set up a new one at sign-in.',
          NOT_YOU,
        ],
        sms: `Tessera: your account was recovered with a temporary access code. ${NOT_YOU}`,
      }
    case 'account_locked':
      return {
        subject: 'Your account is locked',
        lead: [
          n.until === null
            ? 'Too many failed sign-in attempts: your account is locked until an administrator unlocks it.'
            : `Too many failed sign-in attempts: your account is locked until ${when(n.until)}, or until an administrator unlocks it.`,
          'If these attempts were not yours, someone may know your password: change it once you are back in, and tell your administrator.',
        ],
        sms: `Tessera: too many failed sign-ins; your account is locked${n.until === null ? '' : ` until ${when(n.until)}`}. If this was not you, contact your administrator.`,
      }
    case 'password_changed':
      return {
        subject: n.how === 'reset' ? 'Your password was reset' : 'Your password was changed',
        lead: [
          n.how === 'reset'
            ? 'The password of your account was reset with a reset code. Every other session was signed out; your two-factor authentication is unchanged.'
            : 'The password of your account was changed. Every other session was signed out.',
          NOT_YOU,
        ],
        sms: `Tessera: the password of your account was ${n.how === 'reset' ? 'reset' : 'changed'}. ${NOT_YOU}`,
      }
    case 'protective_setting_changed': {
      const what = settingText(n.what)
      const by = who(n.by, false)
      return {
        subject: 'A setting that protects your account changed',
        lead: [
          `A setting that protects your account changed (${what}), by ${by}.`,
          'If you did not expect this, check Settings now.',
        ],
        sms: `Tessera: a setting that protects your account changed (${what}), by ${by}. If you did not expect this, check Settings now.`,
      }
    }
    case 'audit_anchor':
      return {
        subject: `Audit trail anchor: event ${n.seq}`,
        lead: [
          `${who(n.by, true)} anchored the audit trail at ${when(n.at)}: event ${n.seq}, hash ${n.hash}.`,
          'Keep this message where nobody with the database can change it. Saved as a file (the line below), it lets "tessera audit verify --anchor FILE" prove later that the trail still extends this point unchanged, or name where it was rewritten.',
          n.file,
        ],
        // Short enough for one message; what matters is the event number and its hash.
        sms: `Tessera audit anchor: event ${n.seq}, hash ${n.hash}, ${when(n.at)}. Keep this message.`,
      }
  }
}

export const en: Catalog = {
  when,
  greeting: (name) => `Hello ${name ?? 'there'},`,
  footer: (account) =>
    `— ${account} (sent by Tessera). If you did not expect this message, contact your administrator.`,
  subject: (subject, account) => `${subject} — ${account}`,
  testEmail: {
    subject: 'Test message',
    lead: ['This is a test message from Tessera: email delivery works.'],
  },
  testSms: 'Tessera test message: SMS delivery works.',
  invitation: (p) => {
    const by = p.invitedBy ?? 'Your administrator'
    return {
      subject: 'Your invitation to Tessera',
      lead: [
        p.account === 'Tessera'
          ? `${by} invited you to sign in with Tessera, with your email ${p.email}.`
          : `${by} invited you to sign in to ${p.account} with Tessera, with your email ${p.email}.`,
        'To activate your account, open Tessera on any computer that runs it, choose "Activate an account" on the sign-in screen, and enter your email and this code. You will then choose a password and, if your administrator requires it, set up an authenticator app.',
      ],
      code: { label: 'Your invitation code', value: p.code },
      then: [
        `The code works once, until ${when(p.expiresAt)}. Never share it: nobody from ${p.account} will ask you for it.`,
      ],
    }
  },
  passwordReset: (p) => ({
    subject: 'Reset your password',
    lead: [
      p.byAdmin
        ? `${who(p.byAdmin, true)} started a password reset for your account.`
        : 'Someone (we hope you) asked to reset the password of your account.',
      'In Tessera, choose "Forgot password?" → "I have a reset code", and enter your email, this code and your new password twice.',
    ],
    code: { label: 'Your password reset code', value: p.code },
    then: [
      p.secondFactor
        ? `The code works once, until ${when(p.expiresAt)}. Your two-factor authentication stays on: you will still need your app code (or a backup code) to sign in.`
        : `The code works once, until ${when(p.expiresAt)}.`,
      'If you did not ask for this, ignore this message: your password has not changed. Tell your administrator if it happens again.',
    ],
  }),
  notice,
  phoneVerifySms: (code) =>
    `Your Tessera code to verify this emergency phone is ${code}. It expires in 10 minutes.`,
  loginCodeSms: (code) => `Your Tessera login code is ${code}. It expires in 10 minutes. Never share it.`,
  agentAlert: (a) =>
    a.kind === 'lockout'
      ? {
          title: 'Account locked',
          body: `${a.who} is locked out after too many failed attempts${a.until !== null ? ` until ${when(a.until)}` : ' until an administrator unlocks it'}. They may call support.`,
        }
      : {
          title: 'New recovery request',
          body: a.byAdmin
            ? `An administrator asked to reset the sign-in of ${a.who} (request #${a.requestId}). It waits in the Recovery queue.`
            : `${a.who} asked support for help signing in (request #${a.requestId}). It waits in the Recovery queue.`,
        },
  agentAlertSummary: (requests, lockouts) => {
    const parts = [
      requests > 0 ? `${requests} new recovery ${requests === 1 ? 'request' : 'requests'}` : null,
      lockouts > 0 ? `${lockouts} ${lockouts === 1 ? 'account' : 'accounts'} locked` : null,
    ].filter((p): p is string => p !== null)
    return {
      title: requests > 0 ? 'Recovery requests waiting' : 'Accounts locked',
      body: `${parts.join(' and ')}. Open Tessera to see them.`,
    }
  },
  accessCodeSms: (code, newPassword) =>
    newPassword
      ? `Your Tessera temporary access code is ${code}. Use it once, within 24 hours, with your email under "Forgot password?": you will set a new password and a new authenticator. Never share it.`
      : `Your Tessera temporary access code is ${code}. Use it once, within 24 hours, after your password; you will then set up a new authenticator. Never share it.`,
}
