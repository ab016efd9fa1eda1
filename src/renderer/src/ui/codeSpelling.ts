/**
 * A one-time code as people read it: in groups of even length, and spelled with the NATO alphabet for
 * reading out on the phone. Display only: main ignores dashes and spaces in what is typed back, so
 * regrouping changes nothing in what it accepts.
 */

const LETTERS: Record<string, string> = {
  A: 'Alfa',
  B: 'Bravo',
  C: 'Charlie',
  D: 'Delta',
  E: 'Echo',
  F: 'Foxtrot',
  G: 'Golf',
  H: 'Hotel',
  I: 'India',
  J: 'Juliett',
  K: 'Kilo',
  L: 'Lima',
  M: 'Mike',
  N: 'November',
  O: 'Oscar',
  P: 'Papa',
  Q: 'Quebec',
  R: 'Romeo',
  S: 'Sierra',
  T: 'Tango',
  U: 'Uniform',
  V: 'Victor',
  W: 'Whiskey',
  X: 'X-ray',
  Y: 'Yankee',
  Z: 'Zulu',
}

// Plain number words in the console's language (OneTimeCode passes them): the person on the phone
// writes down digits, not "Niner" or "Fife". The letters stay NATO's, understood in every language.
const DIGITS = ['Zero', 'One', 'Two', 'Three', 'Four', 'Five', 'Six', 'Seven', 'Eight', 'Nine']

/**
 * The code's symbols in groups of at most `longest`, as equal as they can be: 26 symbols give
 * 5 5 4 4 4 4, never five of five and a last one of one, which is easy to miss when it is read out.
 */
export function groupEvenly(code: string, longest = 5): string[] {
  const symbols = code.replace(/[\s-]/g, '')
  if (symbols === '') return []
  const count = Math.ceil(symbols.length / longest)
  const size = Math.floor(symbols.length / count)
  const longer = symbols.length % count
  const groups: string[] = []
  let at = 0
  for (let i = 0; i < count; i++) {
    const n = i < longer ? size + 1 : size
    groups.push(symbols.slice(at, at + n))
    at += n
  }
  return groups
}

/** One word per symbol: "K7" → ["Kilo", "Seven"]. Anything else is said as it is written. */
export function spellAloud(group: string, digits: readonly string[] = DIGITS): string[] {
  return [...group].map((ch) => {
    const upper = ch.toUpperCase()
    if (/[0-9]/.test(ch)) return digits[Number(ch)] ?? DIGITS[Number(ch)]!
    return LETTERS[upper] ?? ch
  })
}
