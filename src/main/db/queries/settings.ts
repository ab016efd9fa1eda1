import { prepared, type Args } from '../compiled'
import type { Store } from '../store'

const setting = prepared((q, [key]: Args<[string]>) =>
  q.selectFrom('settings').select('value').where('key', '=', key),
)

export async function getSetting(db: Store, key: string): Promise<string | undefined> {
  const [row] = await setting(db, key)
  return row?.value
}

export async function putSetting(db: Store, key: string, value: string): Promise<void> {
  await db.q
    .insertInto('settings')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })))
    .execute()
}

export async function deleteSetting(db: Store, key: string): Promise<void> {
  await db.q.deleteFrom('settings').where('key', '=', key).execute()
}
