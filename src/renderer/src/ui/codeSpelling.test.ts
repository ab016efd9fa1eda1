import { groupEvenly, spellAloud } from './codeSpelling'

describe('groupEvenly', () => {
  it('splits a 26-symbol code into groups that differ by one at most, none of one symbol', () => {
    const groups = groupEvenly('ABCDE-FGHJK-LMNPQ-RSTUV-WXYZ2-3')
    expect(groups).toEqual(['ABCDE', 'FGHJK', 'LMNP', 'QRST', 'UVWX', 'YZ23'])
    expect(groups.join('')).toBe('ABCDEFGHJKLMNPQRSTUVWXYZ23')
  })

  it('keeps a 10-symbol code as 5 + 5 and ignores spaces and dashes it was given in', () => {
    expect(groupEvenly('7KQ2M XD94P')).toEqual(['7KQ2M', 'XD94P'])
    expect(groupEvenly('7KQ2MXD94P')).toEqual(['7KQ2M', 'XD94P'])
  })

  it('never leaves a group much shorter than the others, whatever the length', () => {
    for (let length = 1; length <= 60; length++) {
      const groups = groupEvenly('A'.repeat(length))
      const sizes = groups.map((g) => g.length)
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(length)
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1)
      expect(Math.max(...sizes)).toBeLessThanOrEqual(5)
    }
    expect(groupEvenly('')).toEqual([])
  })

  it('takes another longest group, as for a key read in fours', () => {
    expect(groupEvenly('ABCDEFGHJK', 4)).toEqual(['ABCD', 'EFG', 'HJK'])
  })
})

describe('spellAloud', () => {
  it('spells letters with the NATO alphabet and digits as plain number words', () => {
    expect(spellAloud('A7')).toEqual(['Alfa', 'Seven'])
    expect(spellAloud('K7Q2M')).toEqual(['Kilo', 'Seven', 'Quebec', 'Two', 'Mike'])
    expect(spellAloud('0123456789')).toEqual([
      'Zero',
      'One',
      'Two',
      'Three',
      'Four',
      'Five',
      'Six',
      'Seven',
      'Eight',
      'Nine',
    ])
  })

  it('has a word for every letter, whatever the case', () => {
    const words = spellAloud('ABCDEFGHIJKLMNOPQRSTUVWXYZ')
    expect(words).toHaveLength(26)
    expect(words[9]).toBe('Juliett')
    expect(words[23]).toBe('X-ray')
    expect(words[25]).toBe('Zulu')
    expect(new Set(words).size).toBe(26)
    expect(spellAloud('xy')).toEqual(['X-ray', 'Yankee'])
  })
})
