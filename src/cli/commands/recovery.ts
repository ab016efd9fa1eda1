import {
  emailSchema,
  RECOVERY_MIN_CHECKS,
  recoveryApproveInputSchema,
  recoveryCheckInputSchema,
  recoveryChecks,
  recoveryDenyInputSchema,
  recoveryListInputSchema,
  recoveryRequestInputSchema,
  recoveryStatuses,
} from '../../shared/schemas'
import { stringOption, type Command, type CommandGroup } from '../command'
import { readCredentials } from '../credentials'
import { validated, validatedOptions } from '../validate'
import { requireAuthenticatorToRecover } from './login'
import { agentCommand, checksOption, idOption, numberOption, requestIdOf } from './recovery-agent'
import { detailJson, detailLines, issuedJson, requestTable, summaryJson, who } from './recovery-format'
import { iso } from './users-format'
import { PASSPHRASE_ENV } from './users'
import { emailWarning, lastEmailTo } from './email-format'

export const recoveryGroup: CommandGroup = {
  name: 'recovery',
  summary:
    'Support recovery of a lost device: a person asks for help after the password; agents check identity, approve (two agents for admins and owners) or deny, then issue a one-time temporary access code',
}

export const recoveryRequestCommand: Command = {
  path: ['recovery', 'request'],
  summary:
    '"I lost my device": after the password, ask support to recover the account (one live request at a time)',
  usage: 'recovery request --email EMAIL --message TEXT --contact TEXT',
  options: {
    email: { type: 'string', valueName: 'EMAIL', description: 'Your email', required: true },
    message: {
      type: 'string',
      valueName: 'TEXT',
      description: 'What happened, in a few words (10-2,000 characters)',
      required: true,
    },
    contact: {
      type: 'string',
      valueName: 'TEXT',
      description: 'How support can reach you: a phone number, a desk, a colleague (3-200 characters)',
      required: true,
    },
  },
  stdin: 'your password, first line (the account must have two-factor authentication)',
  env: [PASSPHRASE_ENV],
  examples: [
    `printf '%s\\n' "$PASSWORD" | tessera recovery request --email mia@example.com --message 'My phone was stolen this morning' --contact 'Desk 4B, ext. 2210'`,
  ],
  async run(ctx, values) {
    const email = validated(emailSchema, stringOption(values, 'email'), '--email')
    const input = validatedOptions(
      recoveryRequestInputSchema,
      { message: stringOption(values, 'message'), contact: stringOption(values, 'contact') },
      { message: '--message', contact: '--contact' },
      'recovery request',
    )
    return ctx.withServices(async (services) => {
      const { password } = await readCredentials(
        undefined,
        `printf '%s\\n' "$PASSWORD" | tessera recovery request --email ${email} --message TEXT --contact TEXT`,
      )
      const { user, next } = await services.auth.login(email, password, ctx.client)
      requireAuthenticatorToRecover(next, email, 'with the help of support')
      const filed = await services.recovery.file(user.id, input, ctx.client)
      const expiresAt = iso(filed.expiresAt)
      return {
        data: { ...filed, expiresAt, user },
        text: [
          `Asked support for help: request #${filed.requestId}, ${filed.status}; it expires at ${expiresAt} unless support acts on it.`,
          filed.notifiedPhone
            ? `Your verified emergency phone ${filed.notifiedPhone} was told by SMS.`
            : 'No verified emergency phone was told (the account has none).',
          `Support will reach you at: ${input.contact}. After checking who you are, they give you a temporary access code; then:`,
          `  printf '%s\\n%s\\n' "$PASSWORD" "$ACCESS_CODE" | tessera login --email ${user.email} --access-code -`,
        ],
      }
    })
  },
}

const listStatuses = ['live', 'all', ...recoveryStatuses] as const

export const recoveryListCommand: Command = agentCommand({
  path: ['recovery', 'list'],
  summary: 'The Recovery queue, newest first: live requests (open, verifying, approved) by default',
  usage: `recovery list [--status ${listStatuses.join('|')}] [--limit N] [--before ID] --as EMAIL`,
  options: {
    status: {
      type: 'string',
      valueName: 'STATUS',
      description: 'Which requests (default live: open, verifying and approved)',
      choices: listStatuses,
    },
    limit: { type: 'string', valueName: 'N', description: 'Requests per page, 1-500 (default 50)' },
    before: { type: 'string', valueName: 'ID', description: 'Requests older than this one (the next page)' },
  },
  examples: [
    `printf '%s\\n' "$AGENT_PASSWORD" | tessera recovery list --as sam@example.com`,
    `printf '%s\\n%s\\n' "$AGENT_PASSWORD" "$AGENT_APP_CODE" | tessera recovery list --status all --as sam@example.com --json`,
  ],
  input: (values) =>
    validatedOptions(
      recoveryListInputSchema,
      {
        status: stringOption(values, 'status'),
        limit: numberOption(values, 'limit'),
        before: numberOption(values, 'before'),
      },
      { status: '--status', limit: '--limit', before: '--before' },
      'recovery list',
    ),
  async act(s, _ctx, _agent, query) {
    const page = await s.recovery.list(query)
    return {
      data: { ...page, requests: page.requests.map(summaryJson) },
      text: [
        ...(page.requests.length ? requestTable(page.requests) : ['No requests match.']),
        '',
        `${page.liveCount} live request${page.liveCount === 1 ? '' : 's'} (open, verifying or approved).`,
        ...(page.nextBefore !== null ? [`More: --before ${page.nextBefore}`] : []),
      ],
    }
  },
})

export const recoveryShowCommand: Command = agentCommand({
  path: ['recovery', 'show'],
  summary:
    'One request: the person, message, contact, checks, notes, approvals, codes issued (never a code), and what can be done next',
  usage: 'recovery show --id N --as EMAIL',
  options: { ...idOption },
  examples: [
    `printf '%s\\n%s\\n' "$AGENT_PASSWORD" "$AGENT_APP_CODE" | tessera recovery show --id 12 --as sam@example.com`,
    `... | tessera recovery show --id 12 --json --agent sam@example.com`,
  ],
  input: (values) => ({ requestId: requestIdOf(values) }),
  async act(s, _ctx, agent, { requestId }) {
    const detail = await s.recovery.detail(requestId, agent)
    return { data: detailJson(detail), text: detailLines(detail, agent) }
  },
})

export const recoveryCheckCommand: Command = agentCommand({
  path: ['recovery', 'check'],
  summary: `Record identity checks and/or a note (at least ${RECOVERY_MIN_CHECKS} different checks before approving)`,
  usage: 'recovery check --id N [--checks KEY,KEY...] [--note TEXT] --as EMAIL',
  options: {
    ...idOption,
    checks: {
      type: 'string',
      valueName: 'KEY,KEY...',
      description: `The identity checks done, comma-separated: ${Object.entries(recoveryChecks)
        .map(([k, label]) => `${k} (${label})`)
        .join('; ')}`,
    },
    note: {
      type: 'string',
      valueName: 'TEXT',
      description: 'A note for the other agents (at most 2,000 characters)',
    },
  },
  examples: [
    `printf '%s\\n%s\\n' "$AGENT_PASSWORD" "$AGENT_APP_CODE" | tessera recovery check --id 12 --checks callback_known_number,photo_id --note 'Called back on the directory number' --as sam@example.com`,
  ],
  input: (values) =>
    validatedOptions(
      recoveryCheckInputSchema,
      { requestId: requestIdOf(values), checks: checksOption(values), note: stringOption(values, 'note') },
      { requestId: '--id', checks: '--checks', note: '--note' },
      'recovery check',
    ),
  async act(s, ctx, agent, input) {
    const d = await s.recovery.check(input.requestId, input, agent, ctx.client)
    return {
      data: detailJson(d),
      text: [
        `Request #${d.id} (${who(d.user)}) is ${d.status}: ${d.checks.length} identity check${d.checks.length === 1 ? '' : 's'} recorded${input.note !== undefined ? ', and your note' : ''}.`,
        ...d.checks.map((c) => `  ${c.check}: by ${who(c.by)}`),
        d.actions.approve.allowed
          ? `It can be approved: tessera recovery approve --id ${d.id}`
          : `Not ready to approve: ${d.actions.approve.reason ?? ''}`,
      ],
    }
  },
})

export const recoveryApproveCommand: Command = agentCommand({
  path: ['recovery', 'approve'],
  summary:
    'Approve after the identity checks; an admin or owner account needs two different agents. The cooling-off period starts then',
  usage: 'recovery approve --id N [--note TEXT] --as EMAIL',
  options: {
    ...idOption,
    note: { type: 'string', valueName: 'TEXT', description: 'A note for the other agents' },
  },
  examples: [
    `printf '%s\\n%s\\n' "$AGENT_PASSWORD" "$AGENT_APP_CODE" | tessera recovery approve --id 12 --as sue@example.com`,
  ],
  input: (values) =>
    validatedOptions(
      recoveryApproveInputSchema,
      { requestId: requestIdOf(values), note: stringOption(values, 'note') },
      { requestId: '--id', note: '--note' },
      'recovery approve',
    ),
  async act(s, ctx, agent, input) {
    const d = await s.recovery.approve(input.requestId, input.note, agent, ctx.client)
    const approvals = `${d.approvals}/${d.approvalsRequired} approvals`
    const text =
      d.status === 'approved'
        ? [
            `Approved request #${d.id} (${who(d.user)}), ${approvals}.`,
            d.actions.issueCode.allowed
              ? `A temporary access code can be issued now: tessera recovery issue-code --id ${d.id}`
              : `Cooling-off period: the temporary access code can be issued after ${iso(d.effectiveAt)}, with tessera recovery issue-code --id ${d.id}.`,
          ]
        : [
            `Recorded your approval of request #${d.id} (${who(d.user)}): ${approvals}.`,
            `An ${d.user.role} account needs another agent's approval too: tessera recovery approve --id ${d.id} --as EMAIL`,
          ]
    return { data: detailJson(d), text }
  },
})

export const recoveryDenyCommand: Command = agentCommand({
  path: ['recovery', 'deny'],
  summary: 'Deny a live request, saying why; any temporary access code issued for it stops working',
  usage: 'recovery deny --id N --reason TEXT --as EMAIL',
  options: {
    ...idOption,
    reason: {
      type: 'string',
      valueName: 'TEXT',
      description: 'Why (3-500 characters; kept with the request and in the audit trail)',
      required: true,
    },
  },
  examples: [
    `printf '%s\\n%s\\n' "$AGENT_PASSWORD" "$AGENT_APP_CODE" | tessera recovery deny --id 12 --reason 'Could not reach them on the directory number' --as sam@example.com`,
  ],
  input: (values) =>
    validatedOptions(
      recoveryDenyInputSchema,
      { requestId: requestIdOf(values), reason: stringOption(values, 'reason') },
      { requestId: '--id', reason: '--reason' },
      'recovery deny',
    ),
  async act(s, ctx, agent, input) {
    const d = await s.recovery.deny(input.requestId, input.reason, agent, ctx.client)
    return {
      data: detailJson(d),
      text: [
        `Denied request #${d.id} (${who(d.user)}): ${d.deniedReason ?? input.reason}`,
        'Any temporary access code issued for it no longer works.',
      ],
    }
  },
})

export const recoveryIssueCodeCommand: Command = agentCommand({
  path: ['recovery', 'issue-code'],
  summary:
    'After approval and the cooling-off period: a temporary access code (one use, 24 h), by SMS to the verified phone, or shown once to read out',
  usage: 'recovery issue-code --id N --as EMAIL',
  options: { ...idOption },
  examples: [
    `printf '%s\\n%s\\n' "$AGENT_PASSWORD" "$AGENT_APP_CODE" | tessera recovery issue-code --id 12 --as sue@example.com`,
  ],
  input: (values) => ({ requestId: requestIdOf(values) }),
  async act(s, ctx, agent, { requestId }) {
    const issued = await s.recovery.issueCode(requestId, agent, ctx.client)
    const { user, purpose } = await s.recovery.detail(issued.requestId, agent)
    const until = iso(issued.expiresAt)
    const login = `printf '%s\\n%s\\n' "$PASSWORD" "$ACCESS_CODE" | tessera login --email ${user.email} --access-code -`
    const reset = `printf '%s\\n%s\\n%s\\n' "$RESET_CODE" "$NEW_PASSWORD" "$NEW_PASSWORD" | tessera password forgot --email ${user.email} --code -`
    const sent = issued.delivery === 'email' ? await lastEmailTo(s, issued.to, 'password_reset') : undefined
    const warning = emailWarning(
      'The reset code',
      sent,
      `start again: tessera password reset --email ${user.email} (a new request)`,
    )
    const text =
      issued.delivery === 'email'
        ? [
            `Sent a password reset code by email to ${issued.to} (${who(user)}, request #${issued.requestId}); it works once, until ${until}.`,
            ...(warning ? [warning] : []),
            'Nobody else sees it. They set a new password with it (their two-factor authentication, if any, stays as it is):',
            `  ${reset}`,
          ]
        : issued.delivery === 'agent' && purpose === 'password'
          ? [
              `Password reset code for ${who(user)} (request #${issued.requestId}; this Tessera sends no email):`,
              '',
              `  ${issued.code}`,
              '',
              `Read it out to the person now, on the channel you checked. It will never be shown again. It works once, until ${until}:`,
              `  ${reset}`,
              'Their two-factor authentication, if any, stays as it is.',
            ]
          : issued.delivery === 'sms'
            ? [
                issued.sms.status === 'failed'
                  ? `Warning: the SMS with the temporary access code to ${issued.phone} (${who(user)}, request #${issued.requestId}) could not be sent: ${issued.sms.lastError}. The code will not reach them; fix the SMS settings and issue a new code, or deny the request.`
                  : issued.sms.status === 'sent' || issued.sms.status === 'delivered'
                    ? `Sent a temporary access code by SMS to ${issued.phone} (${who(user)}, request #${issued.requestId}); it works once, until ${until}.`
                    : `A temporary access code for ${who(user)} (request #${issued.requestId}) waits in the SMS outbox for ${issued.phone}${issued.sms.lastError ? ` (${issued.sms.lastError})` : ''}; it is sent when Twilio answers (tessera sms outbox --deliver). It works once, until ${until}.`,
                'Nobody else sees it. They log in with their password, then the code:',
                `  ${login}`,
                'and must then enroll a new authenticator. Issuing another code revokes this one.',
              ]
            : [
                `Temporary access code for ${who(user)} (request #${issued.requestId}):`,
                '',
                `  ${issued.code}`,
                '',
                `Read it out to the person now, on the channel you checked. It will never be shown again. It works once, until ${until}, after their password:`,
                `  ${login}`,
                'They must then enroll a new authenticator. Issuing another code revokes this one.',
              ]
    return {
      data: {
        ...issuedJson(issued, user),
        purpose,
        ...(sent ? { emailStatus: sent.status, emailError: sent.lastError } : {}),
      },
      text,
    }
  },
})

export const recoveryCommands: readonly Command[] = [
  recoveryRequestCommand,
  recoveryListCommand,
  recoveryShowCommand,
  recoveryCheckCommand,
  recoveryApproveCommand,
  recoveryDenyCommand,
  recoveryIssueCodeCommand,
]
