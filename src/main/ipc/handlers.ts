import { toSessionUser } from '../core/auth'
import type { SessionState, TwoFactorStatusDto } from '../../shared/dto'
import type { Session } from '../core/sessions'
import { AppError } from '../../shared/result'
import type { Backend } from '../core/backend'
import { qrSvg } from '../core/qr'
import { withLineMessages, withReasons } from './language/results'
import type { Handlers, SessionLookup } from './gate'

/** The gate's view of sessions: the backend's, kept in line with the database on every call. */
export function sessionLookup(backend: Backend): SessionLookup {
  return {
    current: (clientId) => backend.sessionOf(clientId),
    touch: (clientId) => backend.sessions.touch(clientId),
  }
}

/** The half-done login (password checked) that second-step methods act on. */
function secondFactorSession(session: Session | undefined): Session {
  if (!session) throw new AppError('UNAUTHENTICATED', 'Enter your email and password first.')
  if (session.stage !== 'second-factor') throw new AppError('CONFLICT', 'No login is waiting for a code.')
  return session
}

/** The main-side implementation of every contract method. Roles are checked by the gate, not here. */
export function createHandlers(backend: Backend): Handlers {
  const client = backend.client
  const lookup = sessionLookup(backend)

  const statusOf = async (userId: number): Promise<TwoFactorStatusDto> => {
    const services = backend.services()
    return {
      ...(await services.twoFactor.status(userId)),
      required: await services.auth.isTwoFactorRequired(userId),
    }
  }

  const stateOf = async (clientId: string): Promise<SessionState> => {
    await backend.retryIfUnreachable()
    switch (backend.phase) {
      case 'needs-setup':
        return { phase: 'needs-setup', keychainAvailable: await backend.keychainAvailable() }
      case 'needs-db-passphrase':
        return { phase: 'needs-db-passphrase' }
      case 'db-error': {
        const e = backend.error!
        return { phase: 'db-error', code: e.reason, message: e.message }
      }
      case 'open': {
        const session = await lookup.current(clientId)
        if (!session) return { phase: 'signed-out' }
        if (session.stage === 'second-factor') {
          const emergencyPhone = await backend.services().phones.hasVerifiedPhone(session.user.id)
          return { phase: 'second-factor', user: session.user, emergencyPhone }
        }
        if (session.stage === 'enroll') return { phase: 'enroll-required', user: session.user }
        const idleLockMinutes = (await backend.services().policy.get()).idleLockMinutes
        if (session.locked) return { phase: 'locked', user: session.user, idleLockMinutes }
        const due = await backend.services().auth.reminderFor(session.user.id)
        return {
          phase: 'signed-in',
          user: session.user,
          idleLockMinutes,
          ...(due !== null ? { twoFactorDueAt: due } : {}),
        }
      }
    }
  }

  return {
    'session.state': (ctx) => stateOf(ctx.clientId),
    'session.touch': async (ctx) => {
      backend.sessions.touch(ctx.clientId)
      return stateOf(ctx.clientId)
    },
    'setup.createOwner': async (ctx, input) => {
      const owner = await backend.setup(input)
      backend.sessions.signIn(ctx.clientId, owner)
      return owner
    },
    'changes.next': (_ctx, input) => backend.changes.next(input.after, input.waitMs),
    'setup.joinTeam': async (ctx, input) => {
      await backend.joinTeam(input.databaseUrl, input.passphrase)
      return stateOf(ctx.clientId)
    },
    'database.unlock': async (ctx, input) => {
      await backend.unlockDatabase(input.passphrase)
      return stateOf(ctx.clientId)
    },
    'auth.login': async (ctx, input) => {
      const { user, next } = await backend.services().auth.login(input.email, input.password, client)
      backend.sessions.signIn(ctx.clientId, user, next === 'done' ? 'full' : next)
      return user
    },
    'auth.verifySecondFactor': async (ctx, input) => {
      const session = secondFactorSession(ctx.session)
      const result = await backend.services().auth.verifySecondFactor(session.user.id, input, client)
      backend.sessions.secondFactorPassed(ctx.clientId)
      return {
        user: session.user,
        method: result.method,
        backupCodesRemaining: result.method === 'backup_code' ? result.backupCodesRemaining : null,
      }
    },
    'auth.sendSmsCode': async (ctx) => {
      const session = secondFactorSession(ctx.session)
      const sent = await backend.services().phones.sendLoginCode(session.user.id, client)
      // Waiting for the SMS keeps the half-done login alive.
      backend.sessions.advance(ctx.clientId, 'second-factor')
      return sent
    },
    'auth.verifySmsCode': async (ctx, input) => {
      const session = secondFactorSession(ctx.session)
      await backend.services().phones.verifyLoginCode(session.user.id, input.code, client)
      backend.sessions.advance(ctx.clientId, 'enroll')
      return { user: session.user, next: 'enroll' as const }
    },
    'auth.requestRecovery': async (ctx, input) => {
      const session = secondFactorSession(ctx.session)
      const filed = await backend.services().recovery.file(session.user.id, input, client)
      // Filing ends the attempt: the person waits for support, and the screen goes back to sign-in.
      backend.sessions.signOut(ctx.clientId)
      return filed
    },
    'auth.verifyAccessCode': async (ctx, input) => {
      const session = secondFactorSession(ctx.session)
      await backend.services().recovery.verifyAccessCode(session.user.id, input.code, client)
      backend.sessions.advance(ctx.clientId, 'enroll')
      return { user: session.user, next: 'enroll' as const }
    },
    'phone.status': async (ctx) => backend.services().phones.status(ctx.session!.user.id),
    'phone.start': async (ctx, input) => backend.services().phones.start(ctx.session!.user.id, input, client),
    'phone.verify': async (ctx, input) =>
      backend.services().phones.verify(ctx.session!.user.id, input.code, client),
    'twoFactor.status': async (ctx) => statusOf(ctx.session!.user.id),
    'twoFactor.startEnrollment': async (ctx, input) => {
      const { user } = ctx.session!
      const services = backend.services()
      if ('justSignedIn' in input) {
        // A login that may only enroll, its password given minutes ago: asking again proves nothing new.
        if (!backend.sessions.justSignedInToEnroll(ctx.clientId)) {
          throw new AppError('FORBIDDEN', 'Enter your password to continue.')
        }
      } else await services.auth.confirmPassword(user.id, input.password, client, 'reauth')
      const start = await services.twoFactor.startEnrollment(user, client)
      return {
        otpauthUri: start.otpauthUri,
        manualKey: start.manualKey,
        qrSvg: await qrSvg(start.otpauthUri),
        expiresAt: start.expiresAt,
      }
    },
    'twoFactor.confirmEnrollment': async (ctx, input) => {
      const session = ctx.session!
      const services = backend.services()
      const codes = await services.twoFactor.confirmEnrollment(session.user.id, input.code, client)
      if (session.stage === 'enroll') {
        await services.auth.completeLogin(session.user.id, client, 'enrollment')
        backend.sessions.advance(ctx.clientId, 'full')
      }
      return codes
    },
    'twoFactor.abandonEnrollment': async (ctx) => {
      await backend.services().twoFactor.abandonEnrollment(ctx.session!.user.id, client)
      return statusOf(ctx.session!.user.id)
    },
    'twoFactor.regenerateBackupCodes': async (ctx, input) => {
      const { user } = ctx.session!
      const services = backend.services()
      if ('justSignedIn' in input) {
        // Right after signing in with both factors here, asking for them again proves nothing new.
        if (!backend.sessions.takeRecentSignIn(ctx.clientId)) {
          throw new AppError(
            'FORBIDDEN',
            'Enter your password and the code from your authenticator app to create new backup codes.',
          )
        }
        return await services.twoFactor.regenerateBackupCodes(user.id, client, 'recent_sign_in')
      }
      await services.auth.confirmPassword(user.id, input.password, client, 'reauth')
      await services.twoFactor.verify(user.id, { code: input.code }, client, 'regenerate_backup_codes')
      return await services.twoFactor.regenerateBackupCodes(user.id, client, 'password_and_code')
    },
    'twoFactor.disable': async (ctx, input) => {
      const { user } = ctx.session!
      const services = backend.services()
      await services.auth.confirmPassword(user.id, input.password, client, 'reauth')
      await services.twoFactor.verify(
        user.id,
        'code' in input ? { code: input.code } : { backupCode: input.backupCode },
        client,
        'disable',
      )
      await services.twoFactor.remove(user.id, user.id, client)
      // Someone who must have 2FA goes straight back into enrollment.
      if (await services.auth.isTwoFactorRequired(user.id)) backend.sessions.advance(ctx.clientId, 'enroll')
      return statusOf(user.id)
    },
    'auth.unlock': async (ctx, input) => {
      const session = ctx.session
      if (!session) throw new AppError('UNAUTHENTICATED', 'Sign in first.')
      if (!session.locked) throw new AppError('CONFLICT', 'The console is not locked.')
      const services = backend.services()
      try {
        const user = await services.auth.confirmPassword(session.user.id, input.password, client, 'unlock')
        backend.sessions.unlock(ctx.clientId, user)
        await services.audit.append({
          type: 'session.unlocked',
          actorId: user.id,
          subjectId: user.id,
          data: { ...client },
        })
        return user
      } catch (e) {
        // A lockout while unlocking ends the session: the next person starts from the sign-in screen.
        if (e instanceof AppError && (e.code === 'ACCOUNT_LOCKED' || e.code === 'UNAUTHENTICATED')) {
          backend.sessions.signOut(ctx.clientId)
        }
        throw e
      }
    },
    'auth.lock': async (ctx, input) => {
      const session = backend.sessions.lock(ctx.clientId)
      if (session) {
        await backend.services().twoFactor.abandonEnrollment(session.user.id, client)
        await backend.services().audit.append({
          type: 'session.locked',
          actorId: session.user.id,
          subjectId: session.user.id,
          data: { ...client, reason: input.reason },
        })
      }
      return stateOf(ctx.clientId)
    },
    'auth.logout': async (ctx) => {
      const session = backend.sessions.signOut(ctx.clientId)
      if (session) {
        await backend.services().twoFactor.abandonEnrollment(session.user.id, client)
        await backend.services().audit.append({
          type: 'logout',
          actorId: session.user.id,
          subjectId: session.user.id,
          data: { ...client },
        })
      }
      return stateOf(ctx.clientId)
    },
    'auth.activate': async (ctx, input) => {
      const { user, next } = await backend
        .services()
        .users.activate(input.email, input.code, input.password, client)
      backend.sessions.signIn(ctx.clientId, user, next === 'done' ? 'full' : 'enroll')
      if (next === 'done') await backend.services().auth.completeLogin(user.id, client, 'password')
      return user
    },
    'users.list': async (_ctx, input) => backend.services().users.list(input),
    'users.get': async (_ctx, input) => backend.services().users.detail(input.userId),
    'users.create': async (ctx, input) => backend.services().users.create(input, ctx.session!.user, client),
    'users.resendInvitation': async (ctx, input) =>
      backend.services().users.resendInvitation(input.userId, ctx.session!.user, client),
    'users.setRequireTwoFactor': async (ctx, input) => {
      const users = backend.services().users
      await users.setRequireTwoFactor(input.userId, input.required, ctx.session!.user, client)
      return users.detail(input.userId)
    },
    'users.resetTwoFactor': async (ctx, input) => {
      const users = backend.services().users
      const { pendingRequestId } = await users.resetTwoFactor(input.userId, ctx.session!.user, client)
      return { user: await users.detail(input.userId), pendingRequestId }
    },
    'users.unlock': async (ctx, input) => {
      const users = backend.services().users
      await users.unlock(input.userId, ctx.session!.user, client)
      return users.detail(input.userId)
    },
    'users.setDisabled': async (ctx, input) => {
      const users = backend.services().users
      await users.setDisabled(input.userId, input.disabled, ctx.session!.user, client)
      return users.detail(input.userId)
    },
    'users.changeRole': async (ctx, input) => {
      const users = backend.services().users
      await users.changeRole(input.userId, input.role, ctx.session!.user, client)
      return users.detail(input.userId)
    },
    'users.delete': async (ctx, input) => {
      await backend.services().users.delete(input.userId, ctx.session!.user, client)
      return { deleted: true as const }
    },
    'users.importBegin': async (ctx, input) =>
      withLineMessages(await backend.services().userImport.begin(input.csv, ctx.session!.user), ctx.language),
    'users.importNext': async (ctx, input) =>
      withLineMessages(
        await backend.services().userImport.next(input.importId, input.batchSize, ctx.session!.user, client),
        ctx.language,
      ),
    'users.importUnfinished': async (ctx) => ({
      imports: await backend.services().userImport.unfinished(ctx.session!.user),
    }),
    'users.importCodes': async (ctx, input) =>
      backend.services().userImport.heldCodes(input.importId, ctx.session!.user),
    'users.importCodesSaved': async (ctx, input) =>
      backend.services().userImport.codesDelivered(input.importId, input.through, ctx.session!.user, client),
    'users.importForget': async (ctx, input) =>
      backend.services().userImport.forget(input.importId, ctx.session!.user, client),
    'users.bulkPreview': async (ctx, input) =>
      withReasons(
        await backend.services().bulk.preview(input.target, input.action, ctx.session!.user),
        ctx.language,
      ),
    'users.bulkStart': async (ctx, input) =>
      withReasons(
        await backend.services().bulk.start(input.target, input.action, ctx.session!.user, client),
        ctx.language,
      ),
    'users.bulkProgress': async (ctx, input) =>
      withReasons(backend.services().bulk.progress(input.jobId, ctx.session!.user), ctx.language),
    'users.export': async () => {
      const parts: string[] = []
      for await (const part of backend.services().userImport.exportCsv()) parts.push(part)
      return { csv: parts.join('') }
    },
    'dashboard.get': async () => {
      // Requests past their time are counted as expired, not open.
      await backend.services().recovery.expireDue()
      return backend.services().users.dashboard()
    },
    'policy.get': async () => backend.services().policy.get(),
    'preferences.get': async (ctx) => backend.services().preferences.get(ctx.session!.user.id),
    'preferences.set': async (ctx, input) => backend.services().preferences.set(ctx.session!.user.id, input),
    'console.setLanguage': async (ctx, input) => {
      ctx.setLanguage(input.language)
      return { language: input.language }
    },
    'policy.update': async (ctx, input) =>
      backend.services().settings.updatePolicy(input, ctx.session!.user, client),
    'audit.list': async (_ctx, input) =>
      backend.services().audit.list(input.before, input.limit, input.filter),
    'audit.export': async (_ctx, input) => backend.services().audit.exportText(input.format, input.filter),
    'audit.verify': async (_ctx, input) => backend.services().audit.verify(input.full ? 'full' : 'routine'),
    'audit.anchor': async (ctx, input) =>
      backend.services().auditAnchors.anchor(input.to, ctx.session!.user, client),
    'database.status': async () => backend.services().status(),
    'sms.getConfig': async () => backend.services().sms.getConfig(),
    'sms.configure': async (ctx, input) =>
      backend.services().settings.configureSms(input, ctx.session!.user, client),
    'sms.sendTest': async (ctx, input) =>
      backend.services().settings.sendTestSms(input.to, ctx.session!.user),
    'sms.outbox': async (_ctx, input) => backend.services().sms.listOutbox(input),
    'recovery.list': async (_ctx, input) => backend.services().recovery.list(input),
    'recovery.get': async (ctx, input) =>
      backend.services().recovery.detail(input.requestId, ctx.session!.user),
    'recovery.check': async (ctx, input) =>
      backend.services().recovery.check(input.requestId, input, ctx.session!.user, client),
    'recovery.approve': async (ctx, input) =>
      backend.services().recovery.approve(input.requestId, input.note, ctx.session!.user, client),
    'recovery.deny': async (ctx, input) =>
      backend.services().recovery.deny(input.requestId, input.reason, ctx.session!.user, client),
    'recovery.issueCode': async (ctx, input) =>
      backend.services().recovery.issueCode(input.requestId, ctx.session!.user, client),
    'email.getConfig': async () => backend.services().email.getConfig(),
    'email.configure': async (ctx, input) =>
      backend.services().settings.configureEmail(input, ctx.session!.user, client),
    'email.sendTest': async (ctx, input) =>
      backend.services().settings.sendTestEmail(input.to, ctx.session!.user),
    'email.outbox': async (_ctx, input) => backend.services().email.listOutbox(input),
    'password.change': async (ctx, input) => {
      const changed = await backend.services().passwords.change(ctx.session!.user.id, input, client)
      // This session goes on; every other session of the person ends at its next call.
      backend.sessions.passwordChanged(ctx.clientId)
      return changed
    },
    'password.forgot': async (_ctx, input) => {
      const { answer, delivery } = await backend.services().passwords.forgot(input.email, client)
      // The email leaves after the answer, so the time taken does not tell whether the address has an account.
      void delivery
      return answer
    },
    'password.resetWithCode': async (_ctx, input) =>
      backend.services().passwords.resetWithCode(input, client),
    'password.adminReset': async (ctx, input) =>
      backend.services().passwords.adminReset(input.userId, ctx.session!.user, client),
    'password.askSupport': async (_ctx, { email, ...request }) =>
      backend.services().recovery.fileWithoutPassword(email, request, client),
    'password.resetWithAccessCode': async (ctx, input) => {
      const user = toSessionUser(await backend.services().passwords.resetWithAccessCode(input, client))
      // Signed in, but only to enroll a new authenticator.
      backend.sessions.signIn(ctx.clientId, user, 'enroll')
      return { user, next: 'enroll' as const }
    },
  }
}
