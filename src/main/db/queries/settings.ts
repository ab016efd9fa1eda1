import { prepared, type Db } from '../connection'

export function getSetting(db: Db, key: string): string | undefined {
  return prepared(db, 'SELECT value FROM settings WHERE key = ?').pluck().get(key) as string | undefined
}

export function putSetting(db: Db, key: string, value: string): void {
  prepared(
    db,
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  ).run(key, value)
}

export function deleteSetting(db: Db, key: string): void {
  prepared(db, 'DELETE FROM settings WHERE key = ?').run(key)
}
