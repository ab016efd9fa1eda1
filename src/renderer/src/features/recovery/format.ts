import type { TFunction } from 'i18next'
import type { RecoveryPersonDto } from '../../../../shared/dto'
import type { Role } from '../../../../shared/schemas'

/** The words of the `recovery` catalogs, as a component's useTranslation('recovery') gives them. */
export type RecoveryT = TFunction<'recovery'>

/** An agent as named in a request's checks, notes and approvals; a deleted account in words. */
export const agentName = (t: RecoveryT, p: RecoveryPersonDto | null): string =>
  p ? p.name : t('deletedUser')

/** A role as the queue and a request's page name it ("Support agent"). */
export const roleName = (t: RecoveryT, role: Role): string => t(`role.${role}`)
