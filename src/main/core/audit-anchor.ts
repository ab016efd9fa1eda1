import { can } from '../../shared/access'
import type { AuditAnchor, AuditAnchorResult, AuditVerification } from '../../shared/dto'
import { AUDIT_ANCHOR_FORMAT, AUDIT_ANCHOR_MARKS } from '../../shared/schemas'
import { AppError } from '../../shared/result'
import type { Clock } from '../adapters/clock'
import { auditHashesAt } from '../db/queries/audit'
import { listActiveOwners } from '../db/queries/users'
import type { Store } from '../db/store'
import { isKeyHolder, type Actor } from './actor'
import type { Who } from './messages'
import type { AuditLog } from './audit'
import type { ClientInfo } from './client'
import type { NoticeService } from './notices'

export interface AuditAnchorDeps {
  db: Store
  clock: Clock
  audit: AuditLog
  notices: NoticeService
  databaseId: string
}

/** A verification; when it was made against an anchor and holds, the anchor it extends. */
export type AnchorCheck =
  | (Extract<AuditVerification, { ok: true }> & { anchor?: { seq: number; hash: string } })
  | Extract<AuditVerification, { ok: false }>

/**
 * Anchoring the audit trail outside the database. Whoever holds the key can rewrite the chain and
 * re-hash it so that it verifies; an anchor (the head's sequence number and hash, kept in a file or in
 * the owners' mailboxes) is what such a rewrite cannot match. Anchoring is the owner's (or the key
 * holder's), is audited, and vouches only for a chain that verifies.
 */
export class AuditAnchorService {
  constructor(private readonly d: AuditAnchorDeps) {}

  /**
   * Verifies the chain (the routine check), records `audit.anchored`, and returns the anchor of that
   * event; `to: 'owners'` also sends it to every active owner as a notice (email and/or SMS).
   */
  async anchor(to: 'file' | 'owners', actor: Actor, client: ClientInfo): Promise<AuditAnchorResult> {
    if (!isKeyHolder(actor) && !can(actor.role, 'settings.protective')) {
      throw new AppError('FORBIDDEN', 'Only an owner can anchor the audit trail.')
    }
    const { db, audit, clock, notices } = this.d
    const checked = await audit.verify('routine')
    if (!checked.ok) {
      throw new AppError(
        'CONFLICT',
        `The audit chain is broken at event ${checked.firstBadSeq} (${checked.reason}): an anchor would vouch for it.`,
      )
    }
    const owners = to === 'owners' ? await listActiveOwners(db) : []
    return db.transaction(async () => {
      const event = await audit.append({
        type: 'audit.anchored',
        actorId: actor.id,
        data: {
          ...client,
          to,
          ...(to === 'owners' ? { owners: owners.length } : {}),
          ...(isKeyHolder(actor) ? { actor: 'key-holder' } : {}),
        },
      })
      const anchor = await this.anchorOf(event.seq, event.hash, clock.now())
      const text = JSON.stringify(anchor)
      const by: Who = isKeyHolder(actor) ? 'key-holder' : { name: actor.name ?? null, role: actor.role }
      for (const owner of owners) {
        await notices.tell(
          owner.id,
          { kind: 'audit_anchor', seq: anchor.seq, hash: anchor.hash, at: event.at, by, file: text },
          { actorId: actor.id },
        )
      }
      return { anchor, text, sentTo: owners.length }
    })
  }

  /**
   * Whether the log still extends `anchor` unchanged: the chain verifies from the first event, and the
   * anchored event and the marked ones before it still have the hashes the anchor recorded. Otherwise
   * the first event where it does not.
   */
  async check(anchor: AuditAnchor): Promise<AnchorCheck> {
    if (anchor.databaseId !== this.d.databaseId) {
      throw new AppError(
        'VALIDATION',
        `This anchor is of another database (${anchor.databaseId}), not of this one (${this.d.databaseId}).`,
      )
    }
    const verified = await this.d.audit.verify('full')
    if (!verified.ok) return verified
    const diverged = await this.d.audit.extendsPoint(anchor)
    if (diverged) return diverged
    return { ...verified, anchor: { seq: anchor.seq, hash: anchor.hash } }
  }

  private async anchorOf(seq: number, hash: string, at: number): Promise<AuditAnchor> {
    const every = Math.max(1, Math.ceil(seq / AUDIT_ANCHOR_MARKS))
    const seqs: number[] = []
    for (let s = every; s < seq; s += every) seqs.push(s)
    const found = await auditHashesAt(this.d.db, seqs)
    return {
      format: AUDIT_ANCHOR_FORMAT,
      databaseId: this.d.databaseId,
      seq,
      hash,
      at: new Date(at).toISOString(),
      ...(seqs.length > 0 ? { marks: { every, hashes: seqs.map((s) => found.get(s)!) } } : {}),
    }
  }
}
