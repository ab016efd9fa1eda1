import type { BulkReasonCountDto, ImportErrorDto, Language } from '../../../shared/dto'
import { translateMessage } from './translate'

// Texts main writes into a result rather than an error (why a bulk action left someone alone, what is
// wrong with a line of an imported file), in the language of the console that asked: the same catalog
// as the errors'.

const reasons = (list: BulkReasonCountDto[], language: Language): BulkReasonCountDto[] =>
  list.map((r) => ({ ...r, reason: translateMessage(r.reason, language) }))

const lines = (list: ImportErrorDto[], language: Language): ImportErrorDto[] =>
  list.map((e) => ({ ...e, message: translateMessage(e.message, language) }))

/** A bulk preview's or job's skipped and failed reasons in `language`. */
export function withReasons<T extends { skipped: BulkReasonCountDto[]; failed?: BulkReasonCountDto[] }>(
  result: T,
  language: Language,
): T {
  if (language === 'en') return result
  return {
    ...result,
    skipped: reasons(result.skipped, language),
    ...(result.failed ? { failed: reasons(result.failed, language) } : {}),
  }
}

/** An import's line messages (a file's errors, the rows skipped on the way) in `language`. */
export function withLineMessages<T extends { errors?: ImportErrorDto[]; skipped?: ImportErrorDto[] }>(
  result: T,
  language: Language,
): T {
  if (language === 'en') return result
  return {
    ...result,
    ...(result.errors ? { errors: lines(result.errors, language) } : {}),
    ...(result.skipped ? { skipped: lines(result.skipped, language) } : {}),
  }
}
