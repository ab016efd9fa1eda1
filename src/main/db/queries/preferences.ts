import type { Language, ThemeChoice } from '../../../shared/contract/preferences'
import type { Store } from '../store'

export interface PreferencesRow {
  language: Language | null
  theme: ThemeChoice
}

export function getPreferences(db: Store, userId: number): Promise<PreferencesRow | undefined> {
  return db.q.selectFrom('users').select(['language', 'theme']).where('id', '=', userId).executeTakeFirst()
}

/** Saves the given choices; false when the person no longer exists. */
export async function setPreferences(
  db: Store,
  userId: number,
  changes: Partial<PreferencesRow>,
  now: number,
): Promise<boolean> {
  const result = await db.q
    .updateTable('users')
    .set({ ...changes, updated_at: now })
    .where('id', '=', userId)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}
