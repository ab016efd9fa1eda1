import { can, isProtectivePolicyField, type Capability } from '../../shared/access'
import type { EmailConfigDto, EmailOutboxEntryDto, SmsConfigDto, SmsOutboxEntryDto } from '../../shared/dto'
import { AppError } from '../../shared/result'
import type { EmailConfigureInput, Policy, SmsConfigureInput } from '../../shared/schemas'
import { listActiveOwners } from '../db/queries/users'
import type { Store } from '../db/store'
import { isKeyHolder, type Actor } from './actor'
import type { ClientInfo } from './client'
import type { PolicyService } from './policy'
import type { SmsService } from './sms-service'
import type { EmailService } from './email-service'
import type { NoticeService } from './notices'
import { recipientLanguage, type SettingChange, type Who } from './messages'

export interface SettingsDeps {
  db: Store
  policy: PolicyService
  sms: SmsService
  email: EmailService
  notices: NoticeService
}

/**
 * Changing the settings that protect everyone: the policy (recovery, lockout, idle lock and session
 * lifetime are owner-only; the rest admins may change too) and the SMS provider (owner-only). Every
 * change is audited where it is saved, and a protective one is told to every owner by SMS to their
 * verified phone, so a change nobody expected does not go unnoticed.
 */
export class SettingsService {
  constructor(private readonly d: SettingsDeps) {}

  private require(actor: Actor, capability: Capability): void {
    if (!isKeyHolder(actor) && !can(actor.role, capability)) {
      throw new AppError(
        'FORBIDDEN',
        capability === 'settings.protective'
          ? 'Only an owner can change the settings that protect everyone (SMS, recovery, lockout, idle lock and session lifetime).'
          : 'Your role does not allow this.',
      )
    }
  }

  async updatePolicy(changes: Partial<Policy>, actor: Actor, client: ClientInfo): Promise<Policy> {
    this.require(actor, 'policy.change')
    const before = await this.d.policy.get()
    const changed = (Object.keys(changes) as (keyof Policy)[]).filter(
      (k) => changes[k] !== undefined && changes[k] !== before[k],
    )
    if (changed.some(isProtectivePolicyField)) this.require(actor, 'settings.protective')
    const after = await this.d.policy.update(changes, actor.id, client)
    const protective = changed.filter(isProtectivePolicyField)
    if (protective.length > 0) {
      await this.tellOwners(
        {
          setting: 'policy',
          changes: protective.map((field) => ({ field, from: before[field], to: after[field] })),
        },
        actor,
      )
    }
    return after
  }

  async configureSms(input: SmsConfigureInput, actor: Actor, client: ClientInfo): Promise<SmsConfigDto> {
    this.require(actor, 'settings.protective')
    const config = await this.d.sms.configure(input, actor.id, client)
    await this.tellOwners(
      {
        setting: 'sms',
        provider: config.provider,
        ...(config.provider === 'twilio' ? { at: config.apiBaseUrl } : {}),
      },
      actor,
    )
    return config
  }

  async sendTestSms(to: string, actor: Actor): Promise<SmsOutboxEntryDto> {
    this.require(actor, 'settings.protective')
    // Sent to a number, not a person: in the account's language.
    return this.d.sms.sendTest(to, actor.id, await recipientLanguage(this.d.policy, null))
  }

  async configureEmail(
    input: EmailConfigureInput,
    actor: Actor,
    client: ClientInfo,
  ): Promise<EmailConfigDto> {
    this.require(actor, 'settings.protective')
    const config = await this.d.email.configure(input, actor.id, client)
    await this.tellOwners(
      {
        setting: 'email',
        provider: config.provider,
        ...(config.provider === 'smtp' ? { at: `${config.host}:${config.port}` } : {}),
      },
      actor,
    )
    return config
  }

  async sendTestEmail(to: string, actor: Actor): Promise<EmailOutboxEntryDto> {
    this.require(actor, 'settings.protective')
    return this.d.email.sendTest(to, actor.id, await recipientLanguage(this.d.policy, null))
  }

  /** "A setting that protects you changed", to every active owner, as the policy says (email, SMS, both). */
  private async tellOwners(what: SettingChange, actor: Actor): Promise<void> {
    const { db, notices } = this.d
    const by: Who = isKeyHolder(actor) ? 'key-holder' : { name: actor.name ?? null, role: actor.role }
    await db.transaction(async () => {
      for (const owner of await listActiveOwners(db)) {
        await notices.tell(owner.id, { kind: 'protective_setting_changed', what, by }, { actorId: actor.id })
      }
    })
  }
}
