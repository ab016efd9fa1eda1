/**
 * A small RFC 4180 reader and writer: quoted fields, doubled quotes, CRLF or LF line ends, a leading
 * UTF-8 BOM. Plain Node, no dependency: the files we read are a few columns of people's names.
 */

export interface CsvRecord {
  /** The line of the file the record starts on (1-based), for error messages people can act on. */
  line: number
  cells: string[]
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`Line ${line}: ${message}`)
    this.name = 'CsvSyntaxError'
  }
}

/** Parses a whole document. Empty lines are skipped; a final line end is optional. */
export function parseCsv(text: string): CsvRecord[] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  const records: CsvRecord[] = []
  let line = 1
  let i = 0
  const n = src.length
  while (i < n) {
    const start = line
    // An empty line (LF or CRLF) is no record.
    if (src[i] === '\n' || (src[i] === '\r' && src[i + 1] === '\n')) {
      i += src[i] === '\r' ? 2 : 1
      line++
      continue
    }
    const cells: string[] = []
    for (;;) {
      let cell = ''
      if (src[i] === '"') {
        i++
        for (;;) {
          if (i >= n) throw new CsvSyntaxError(start, 'a quoted field is not closed')
          const ch = src[i]!
          if (ch === '"') {
            if (src[i + 1] === '"') {
              cell += '"'
              i += 2
              continue
            }
            i++
            break
          }
          if (ch === '\n') line++
          cell += ch
          i++
        }
        if (i < n && src[i] !== ',' && src[i] !== '\n' && !(src[i] === '\r' && src[i + 1] === '\n')) {
          throw new CsvSyntaxError(
            line,
            'text after a closing quote (a quote inside a field must be doubled)',
          )
        }
      } else {
        const from = i
        while (i < n && src[i] !== ',' && src[i] !== '\n' && !(src[i] === '\r' && src[i + 1] === '\n')) {
          if (src[i] === '"') {
            throw new CsvSyntaxError(line, 'a quote inside an unquoted field (quote the whole field)')
          }
          i++
        }
        cell = src.slice(from, i)
      }
      cells.push(cell)
      if (src[i] === ',') {
        i++
        continue
      }
      // End of the record: a line end or the end of the text.
      if (src[i] === '\r') i += 2
      else if (src[i] === '\n') i++
      line++
      break
    }
    records.push({ line: start, cells })
  }
  return records
}

/**
 * One cell, quoted when needed. A cell that a spreadsheet would run as a formula (starting with
 * = + - @, or a tab or CR) gets a leading apostrophe, so an exported name cannot become a formula.
 */
export function csvCell(value: string): string {
  const v = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v
}

/** One record with its CRLF line end (RFC 4180). */
export const csvRow = (cells: readonly string[]): string => `${cells.map(csvCell).join(',')}\r\n`
