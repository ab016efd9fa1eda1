import { getPhone } from '../db/queries/phones'
import { findUserById } from '../db/queries/users'
import type { Store } from '../db/store'
import type { EmailService } from './email-service'
import { noticeEmail, noticeParts, recipientLanguage, type Notice } from './messages'
import type { PolicyService } from './policy'
import type { SmsService } from './sms-service'

export interface NoticeDeps {
  db: Store
  policy: PolicyService
  email: EmailService
  sms: SmsService
}

/**
 * Security notices: a change to someone's account told to them by email, by SMS to their verified phone,
 * or both, as the policy says (`noticesBy`). A notice is queued in the transaction that makes the change,
 * so it exists exactly when the change does, and is tried once that transaction commits (the worker
 * retries what fails). Past a cap it is left out, and audited, never undoing the change. No notice holds
 * a code.
 */
export class NoticeService {
  constructor(private readonly d: NoticeDeps) {}

  /**
   * Queues `notice` for `userId`. `smsTo` sends the SMS twin to another number (the old one, when the
   * phone changes). `actorId` defaults to the person.
   */
  async tell(
    userId: number,
    notice: Notice,
    o: { actorId?: number | null; smsTo?: string; emailOnly?: boolean } = {},
  ): Promise<void> {
    const { db } = this.d
    await db.transaction(async () => {
      const user = await findUserById(db, userId)
      if (!user) return
      const by = (await this.d.policy.get()).noticesBy
      const language = await recipientLanguage(this.d.policy, user)
      const actorId = o.actorId === undefined ? userId : o.actorId
      if (by !== 'sms') {
        const email = noticeEmail(language, await this.d.email.accountName(), user.name, notice)
        const id = await this.d.email.enqueue({
          to: user.email,
          ...email,
          kind: notice.kind,
          userId,
          actorId,
        })
        await db.afterCommit(() => this.d.email.tryNow(id))
      }
      const text = noticeParts(language, notice).sms
      const to =
        by === 'email' || text === null || o.emailOnly
          ? undefined
          : (o.smsTo ?? (await getPhone(db, userId))?.e164)
      if (to && text !== null) {
        const id = await this.d.sms.enqueueNotice({
          to,
          body: text,
          displayText: text,
          kind: notice.kind,
          userId,
          actorId,
        })
        await db.afterCommit(() => this.d.sms.tryNow(id))
      }
    })
  }
}
