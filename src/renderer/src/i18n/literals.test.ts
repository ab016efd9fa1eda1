import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import ts from 'typescript'

/**
 * Components whose every word comes from the catalogs: what they render, and the props a person reads
 * or hears (labels, hints, titles), hold no text of their own. Each translated area is added here; a
 * folder means every component in it.
 */
const TRANSLATED = [
  'features/audit',
  'features/auth',
  'features/dashboard',
  'features/database',
  'features/phone',
  'features/recovery',
  'features/setup',
  'features/users',
  'features/settings',
  'features/shell',
  'features/two-factor',
  'features/profile',
  'ui/Alert.tsx',
  'ui/Button.tsx',
  'ui/ConfirmDialog.tsx',
  'ui/Dialog.tsx',
  'ui/EventList.tsx',
  'ui/Field.tsx',
  'ui/Layout.tsx',
  'ui/OneTimeCode.tsx',
  'ui/RadioChoices.tsx',
  'ui/Select.tsx',
  'ui/StepHeading.tsx',
  'ui/TextArea.tsx',
  'ui/VirtualTable.tsx',
  'App.tsx',
]

/** Props that reach a person: the HTML ones a screen reader speaks, and our components' words. */
const READ_PROPS = new Set([
  'aria-label',
  'aria-description',
  'aria-placeholder',
  'aria-roledescription',
  'aria-valuetext',
  'alt',
  'title',
  'placeholder',
  'label',
  'legend',
  'hint',
  'intro',
  'description',
  'detail',
  'error',
  'message',
  'progress',
  'confirmLabel',
])

const renderer = join(import.meta.dirname, '..')
const hasLetters = (s: string): boolean => /\p{L}/u.test(s)

export interface Literal {
  line: number
  text: string
}

/**
 * Text with letters written into the JSX of `source`: JSX text, and strings in expressions rendered as
 * children or passed to a read prop. A call's arguments are not text (t('audit.title'), a class
 * name built by a function); a JSX element inside an expression is checked as JSX in its own right.
 */
export function literalsIn(source: string, fileName = 'component.tsx'): Literal[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX)
  const found: Literal[] = []
  const report = (node: ts.Node, text: string): void => {
    found.push({ line: file.getLineAndCharacterOfPosition(node.getStart()).line + 1, text: text.trim() })
  }
  /** Strings with letters an expression can evaluate to. */
  const strings = (node: ts.Node): void => {
    if (ts.isCallExpression(node) || ts.isJsxElement(node) || ts.isJsxSelfClosingElement(node)) return
    if (ts.isJsxFragment(node)) return
    if (ts.isBinaryExpression(node) && node.operatorToken.kind !== ts.SyntaxKind.PlusToken) {
      // `a === 'owners' ? …`: only what the expression can yield is text, not what it compares with.
      if (node.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) strings(node.right)
      else if (node.operatorToken.kind === ts.SyntaxKind.BarBarToken) {
        strings(node.left)
        strings(node.right)
      }
      return
    }
    if (ts.isConditionalExpression(node)) {
      strings(node.whenTrue)
      strings(node.whenFalse)
      return
    }
    if (ts.isElementAccessExpression(node) || ts.isPropertyAccessExpression(node)) return
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      if (hasLetters(node.text)) report(node, node.text)
      return
    }
    if (ts.isTemplateExpression(node)) {
      const parts = [node.head.text, ...node.templateSpans.map((s) => s.literal.text)]
      if (parts.some(hasLetters)) report(node, node.getText(file))
      for (const span of node.templateSpans) strings(span.expression)
      return
    }
    ts.forEachChild(node, strings)
  }
  const visit = (node: ts.Node): void => {
    if (ts.isJsxText(node)) {
      if (hasLetters(node.text)) report(node, node.text)
    } else if (ts.isJsxAttribute(node)) {
      const name = node.name.getText(file)
      const value = node.initializer
      if (value && READ_PROPS.has(name)) {
        if (ts.isStringLiteral(value)) {
          if (hasLetters(value.text)) report(value, `${name}="${value.text}"`)
        } else if (ts.isJsxExpression(value) && value.expression) strings(value.expression)
      }
    } else if (ts.isJsxExpression(node) && node.expression && !ts.isJsxAttribute(node.parent)) {
      strings(node.expression)
    }
    ts.forEachChild(node, visit)
  }
  visit(file)
  return found
}

const components = (path: string): string[] => {
  const full = join(renderer, path)
  if (!statSync(full).isDirectory()) return [full]
  return readdirSync(full, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.tsx') && !f.endsWith('.test.tsx'))
    .map((f) => join(full, f))
}

describe('the literal-text check', () => {
  it('finds text in JSX, in read props and in what an expression renders', () => {
    const found = literalsIn(`
      export const A = ({ n, busy }: { n: number; busy: boolean }) => (
        <Panel title="Anchor" actions={<Button aria-label={\`Remove \${n}\`}>Remove</Button>}>
          <Field label={busy ? 'Creating…' : t('create')} hint={t('hint')} placeholder="postgres://x" />
          {n === 1 && 'One event.'}
          {\`\${n} events\`}
        </Panel>
      )`)
    expect(found.map((f) => f.text)).toEqual([
      'title="Anchor"',
      '`Remove ${n}`',
      'Remove',
      'Creating…',
      'placeholder="postgres://x"',
      'One event.',
      '`${n} events`',
    ])
  })

  it('lets through keys, class names, numbers and punctuation', () => {
    expect(
      literalsIn(`
        export const B = ({ n, team }: { n: number; team: boolean }) => (
          <div className="form-actions" role="group" aria-label={t('audit:filters')}>
            #{n} · {n}/{5} {team ? t('team') : t('file')} {kind === 'csv' && <b>{t('csv')}</b>}
            <Trans t={t} i18nKey="anchor.hint" components={{ cmd: <span className="mono" /> }} />
          </div>
        )`),
    ).toEqual([])
  })
})

describe('translated components', () => {
  const files = TRANSLATED.flatMap(components)

  it('are there', () => {
    expect(files.length).toBeGreaterThan(TRANSLATED.length)
  })

  it.each(files.map((f) => [relative(renderer, f), f]))(
    '%s renders no text outside the catalogs',
    (_, file) => {
      expect(literalsIn(readFileSync(file, 'utf8'), file)).toEqual([])
    },
  )
})
