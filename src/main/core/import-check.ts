import type { ZodType } from 'zod'
import { whyNotActOn } from '../../shared/access'
import type { ImportErrorDto } from '../../shared/dto'
import {
  emailSchema,
  IMPORT_MAX_ROWS,
  personNameSchema,
  requireTwoFactorCellSchema,
  roleSchema,
  type Role,
} from '../../shared/schemas'
import { existingPeople } from '../db/queries/imports'
import type { Store } from '../db/store'
import type { Actor } from './actor'
import { CsvSyntaxError, parseCsv } from './csv'
import type { PolicyService } from './policy'

export const IMPORT_COLUMNS = ['email', 'name', 'role', 'require_2fa'] as const
const REQUIRED_COLUMNS = ['email', 'name', 'role'] as const
/** Enough for anyone to fix a file; the count of the rest is reported. */
export const MAX_REPORTED_ERRORS = 200

export interface ImportRow {
  line: number
  email: string
  name: string
  role: Role
  requireTwoFactor: boolean
}

/** A row whose person exists already with the same name, role and require_2fa: an earlier run's. */
export interface AlreadyImported {
  line: number
  userId: number
}

function checkCell<T>(
  schema: ZodType<T>,
  value: string,
  column: string,
  line: number,
  errors: ImportErrorDto[],
) {
  const parsed = schema.safeParse(value)
  if (parsed.success) return parsed.data
  errors.push({ line, column, message: parsed.error.issues[0]?.message ?? 'Invalid value' })
  return undefined
}

/**
 * Checks a whole import file: every row with the shared schemas, duplicates within the file, the roles
 * the actor may create, and the people who exist already. Returns the rows to import; fills `errors`
 * (nothing may be imported when there is one) and `already` (rows whose person exists with the same
 * data: an earlier run of the file imported them, and they are skipped).
 */
export async function checkImportFile(
  csv: string,
  actor: Actor,
  d: { db: Store; policy: PolicyService },
  errors: ImportErrorDto[],
  already: AlreadyImported[],
): Promise<ImportRow[]> {
  let records
  try {
    records = parseCsv(csv)
  } catch (e) {
    if (e instanceof CsvSyntaxError) {
      errors.push({ line: e.line, message: e.message.replace(/^Line \d+: /, '') })
      return []
    }
    throw e
  }
  const header = records.shift()
  if (!header) {
    errors.push({ line: 1, message: `The file is empty: it needs the header ${IMPORT_COLUMNS.join(',')}` })
    return []
  }
  const columns = header.cells.map((c) => c.trim().toLowerCase())
  const unknown = columns.filter((c) => !(IMPORT_COLUMNS as readonly string[]).includes(c))
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.includes(c))
  if (unknown.length || missing.length || new Set(columns).size !== columns.length) {
    errors.push({
      line: header.line,
      message: `The first line must be the header ${IMPORT_COLUMNS.join(',')} (require_2fa may be left out)${
        unknown.length ? `; unknown column ${unknown.join(', ')}` : ''
      }${missing.length ? `; missing ${missing.join(', ')}` : ''}`,
    })
    return []
  }
  if (records.length > IMPORT_MAX_ROWS) {
    errors.push({
      line: records[IMPORT_MAX_ROWS]!.line,
      message: `At most ${IMPORT_MAX_ROWS} users per file: split it`,
    })
    return []
  }
  const at = (name: string): number => columns.indexOf(name)
  const policyDefault = (await d.policy.get()).requireTwoFactorForNewUsers
  // Who already exists, asked for the whole file at once rather than line by line.
  const taken = await existingPeople(
    d.db,
    records.flatMap(({ cells }) => {
      const parsed = cells.length === columns.length ? emailSchema.safeParse(cells[at('email')]) : undefined
      return parsed?.success ? [parsed.data] : []
    }),
  )
  const seen = new Map<string, number>()
  const rows: ImportRow[] = []
  for (const { line, cells } of records) {
    if (cells.length !== columns.length) {
      errors.push({ line, message: `Expected ${columns.length} columns, found ${cells.length}` })
      continue
    }
    const before = errors.length
    const email = checkCell(emailSchema, cells[at('email')]!, 'email', line, errors)
    const name = checkCell(personNameSchema, cells[at('name')]!, 'name', line, errors)
    const role = checkCell(roleSchema, cells[at('role')]!.trim().toLowerCase(), 'role', line, errors)
    const require2fa =
      at('require_2fa') >= 0
        ? checkCell(requireTwoFactorCellSchema, cells[at('require_2fa')]!, 'require_2fa', line, errors)
        : undefined
    const refused = role && whyNotActOn(actor, { id: null, role }, 'create', role)
    if (refused) errors.push({ line, column: 'role', message: refused })
    let existing: { id: number; differs: string[] } | undefined
    if (email !== undefined) {
      const key = email.toLowerCase()
      const first = seen.get(key)
      if (first !== undefined) {
        errors.push({ line, column: 'email', message: `${email} is already on line ${first} of this file` })
      } else {
        seen.set(key, line)
        const person = taken.get(key)
        if (person) {
          const wanted = require2fa ?? policyDefault
          const differs = [
            ...(name !== undefined && person.name !== name ? ['name'] : []),
            ...(role && person.role !== role ? ['role'] : []),
            ...(person.require_2fa !== (wanted ? 1 : 0) ? ['require_2fa'] : []),
          ]
          existing = { id: person.id, differs }
          if (differs.length > 0) {
            errors.push({
              line,
              column: 'email',
              message: `A user with the email ${email} already exists, with a different ${differs.join(', ')}`,
            })
          }
        }
      }
    }
    if (errors.length === before && existing) {
      // The same person with the same data: imported by an earlier run of this file. Skipped.
      already.push({ line, userId: existing.id })
    } else if (errors.length === before) {
      rows.push({
        line,
        email: email!,
        name: name!,
        role: role!,
        requireTwoFactor: require2fa ?? policyDefault,
      })
    }
  }
  if (rows.length === 0 && already.length === 0 && errors.length === 0) {
    errors.push({ line: header.line, message: 'The file has a header but no users' })
  }
  return rows
}
