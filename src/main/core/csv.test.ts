import { describe, expect, it } from 'vitest'
import { CsvSyntaxError, csvCell, csvRow, parseCsv } from './csv'

describe('parseCsv', () => {
  it('reads quoted fields, doubled quotes, embedded commas and line ends, CRLF and LF, and a BOM', () => {
    const text = '\ufeffa,b,c\r\n"x, y","say ""hi""","two\r\nlines"\n\nlast,,\n'
    expect(parseCsv(text)).toEqual([
      { line: 1, cells: ['a', 'b', 'c'] },
      { line: 2, cells: ['x, y', 'say "hi"', 'two\r\nlines'] },
      { line: 5, cells: ['last', '', ''] },
    ])
  })

  it('needs no final line end, and an empty text has no records', () => {
    expect(parseCsv('a,b\n1,2')).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['1', '2'] },
    ])
    expect(parseCsv('')).toEqual([])
    expect(parseCsv('\ufeff\r\n')).toEqual([])
  })

  it('reports the line of an unclosed quote and of a stray quote', () => {
    const unclosed = (): unknown => parseCsv('a,b\n1,2\n3,"open\nstill open\n')
    expect(unclosed).toThrow(CsvSyntaxError)
    expect(unclosed).toThrow(/^Line 3: a quoted field is not closed/)
    expect(() => parseCsv('a\nb"c\n')).toThrow(/^Line 2: a quote inside an unquoted field/)
    expect(() => parseCsv('a\n"b"c\n')).toThrow(/^Line 2: text after a closing quote/)
  })
})

describe('writing CSV', () => {
  it('quotes only when needed, ends records with CRLF, and reads back what it wrote', () => {
    const cells = ['plain', 'with, comma', 'with "quote"', 'multi\nline', '']
    const row = csvRow(cells)
    expect(row).toBe('plain,"with, comma","with ""quote""","multi\nline",\r\n')
    expect(parseCsv(row)[0]!.cells).toEqual(cells)
  })

  it('defuses spreadsheet formulas with a leading apostrophe', () => {
    for (const v of ['=HYPERLINK("http://evil")', '+1', '-2+3', '@SUM(A1)', '\tx'])
      expect(csvCell(v).replace(/^"/, '')).toMatch(/^'/)
    expect(csvCell('ada@example.com')).toBe('ada@example.com')
    expect(parseCsv(csvRow(['=1+1']))[0]!.cells).toEqual(["'=1+1"])
  })
})
