/** Getting the backup codes out of Tessera: clipboard (cleared again), a text file, or paper. */
import { formatDateTime } from '../../format/time'
import { i18n } from '../../i18n'

export const CLIPBOARD_CLEAR_MS = 30_000
export const BACKUP_CODES_FILE = 'tessera-backup-codes.txt'

/** Runs `fn` after `ms`; tests pass their own to check the clipboard is cleared. */
export type Schedule = (fn: () => void, ms: number) => void
export const realSchedule: Schedule = (fn, ms) => void setTimeout(fn, ms)

/** The codes as a file or a printed page says them, in the console's language. */
export function backupCodesText(codes: readonly string[], account: string, at: Date): string {
  const t = i18n.getFixedT(null, 'twoFactor')
  return [
    t('file.title'),
    t('file.account', { account }),
    t('file.created', { at: formatDateTime(at.getTime()) }),
    t('file.note'),
    '',
    ...codes.map((c, i) => `${i + 1}. ${c}`),
    '',
  ].join('\n')
}

/**
 * Puts the codes on the clipboard and empties it again after 30 s, so they do not linger there. The
 * clearing is not cancelled when the screen closes: that is when it matters most.
 */
export async function copyThenClear(text: string, schedule: Schedule = realSchedule): Promise<void> {
  await navigator.clipboard.writeText(text)
  schedule(() => void navigator.clipboard.writeText('').catch(() => undefined), CLIPBOARD_CLEAR_MS)
}

export function downloadText(fileName: string, text: string, type = 'text/plain;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.style.display = 'none'
  document.body.append(link)
  link.click()
  link.remove()
  // The click has started the download; the URL is not needed after this turn.
  setTimeout(() => URL.revokeObjectURL(url), 0)
}
