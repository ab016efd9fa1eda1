import type { PreferencesDto, PreferencesSetInput } from '../../shared/contract/preferences'
import { AppError } from '../../shared/result'
import type { Clock } from '../adapters/clock'
import { getPreferences, setPreferences } from '../db/queries/preferences'
import type { Store } from '../db/store'

/**
 * A person's language and theme. Each person reads and changes only their own (the session's user is the
 * only id this takes from the IPC side). Not audited: neither grants nor takes away anything.
 */
export class PreferencesService {
  constructor(
    private readonly db: Store,
    private readonly clock: Clock,
  ) {}

  async get(userId: number): Promise<PreferencesDto> {
    const row = await getPreferences(this.db, userId)
    if (!row) throw new AppError('NOT_FOUND', 'This account no longer exists.')
    return { language: row.language, theme: row.theme }
  }

  async set(userId: number, changes: PreferencesSetInput): Promise<PreferencesDto> {
    const saved = await this.db.transaction(async () => {
      const patch = {
        ...(changes.language !== undefined ? { language: changes.language } : {}),
        ...(changes.theme !== undefined ? { theme: changes.theme } : {}),
      }
      return setPreferences(this.db, userId, patch, this.clock.now())
    })
    if (!saved) throw new AppError('NOT_FOUND', 'This account no longer exists.')
    return this.get(userId)
  }
}
