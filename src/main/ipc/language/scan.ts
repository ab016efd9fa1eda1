import ts from 'typescript'

/**
 * The English texts a source file can send to the console as an error: the messages of `new AppError`
 * and `new DatabaseOpenError`, of the gate's own `fail({ message })`, the access rules' reasons (the
 * `whyNot…` functions), and the contract's zod messages. A template literal is one text with numbered
 * placeholders for what it fills in (`A user with the email {0} already exists.`), as the catalog keys
 * it. Used by the test that keeps the Spanish catalog complete.
 */
export interface ScannedText {
  text: string
  line: number
}

const ZOD_CHECKS = new Set([
  'min',
  'max',
  'length',
  'regex',
  'email',
  'url',
  'refine',
  'nonempty',
  'int',
  'positive',
  'nonnegative',
  'startsWith',
  'endsWith',
  'includes',
  'gte',
  'lte',
  'gt',
  'lt',
  'multipleOf',
])

const hasLetters = (s: string): boolean => /\p{L}/u.test(s)

export function scanServerTexts(
  source: string,
  fileName: string,
): { texts: ScannedText[]; unresolved: ScannedText[] } {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
  const texts: ScannedText[] = []
  const unresolved: ScannedText[] = []
  const lineOf = (n: ts.Node) => file.getLineAndCharacterOfPosition(n.getStart()).line + 1
  const consts = new Map<string, ts.Expression>()
  const functions = new Map<string, ts.FunctionLikeDeclaration>()
  const visitDeclarations = (n: ts.Node): void => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer) {
      if (ts.isArrowFunction(n.initializer) || ts.isFunctionExpression(n.initializer))
        functions.set(n.name.text, n.initializer)
      else consts.set(n.name.text, n.initializer)
    }
    if ((ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n)) && n.name && n.body)
      functions.set(n.name.getText(file), n)
    ts.forEachChild(n, visitDeclarations)
  }
  visitDeclarations(file)

  /** What a function can return. */
  const returnsOf = (fn: ts.FunctionLikeDeclaration, seen: Set<string>): string[] | null => {
    if (!fn.body) return null
    if (!ts.isBlock(fn.body)) return textsOf(fn.body, seen)
    const found: string[] = []
    const walk = (m: ts.Node): void => {
      if (ts.isReturnStatement(m) && m.expression && m.expression.kind !== ts.SyntaxKind.NullKeyword)
        found.push(...(textsOf(m.expression, seen) ?? []))
      if (!ts.isFunctionLike(m)) ts.forEachChild(m, walk)
    }
    ts.forEachChild(fn.body, walk)
    return found
  }
  const nameOfCallee = (callee: ts.Expression): string | null =>
    ts.isIdentifier(callee)
      ? callee.text
      : ts.isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.ThisKeyword
        ? callee.name.text
        : null
  const functionName = (fn: ts.Node): string | null => {
    if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) && fn.name) return fn.name.getText(file)
    if (ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) return fn.parent.name.text
    return null
  }
  /** A parameter's texts: its default, and what every call to its function in this file passes. */
  const parameterTexts = (fn: ts.FunctionLikeDeclaration, index: number, seen: Set<string>): string[] => {
    const found = [
      ...(fn.parameters[index]?.initializer ? (textsOf(fn.parameters[index].initializer, seen) ?? []) : []),
    ]
    const name = functionName(fn)
    if (!name) return found
    const walk = (m: ts.Node): void => {
      if (ts.isCallExpression(m) && nameOfCallee(m.expression) === name && m.arguments[index])
        found.push(...(textsOf(m.arguments[index], seen) ?? []))
      ts.forEachChild(m, walk)
    }
    walk(file)
    return found
  }

  /** The texts an expression can evaluate to (placeholders for what is computed). */
  const textsOf = (node: ts.Expression, seen = new Set<string>()): string[] | null => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [node.text]
    if (
      ts.isParenthesizedExpression(node) ||
      ts.isAsExpression(node) ||
      ts.isNonNullExpression(node) ||
      ts.isAwaitExpression(node)
    )
      return textsOf(node.expression, seen)
    if (ts.isCallExpression(node)) {
      const name = nameOfCallee(node.expression)
      const fn = name === null ? undefined : functions.get(name)
      if (!fn || seen.has(`fn:${name}`)) return null
      return returnsOf(fn, new Set([...seen, `fn:${name}`]))
    }
    if (ts.isTemplateExpression(node)) {
      let key = node.head.text
      node.templateSpans.forEach((span, i) => {
        key += `{${i}}` + span.literal.text
      })
      return [key]
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      // 'a' + b + 'c': one text, as a template would be.
      const parts: ts.Expression[] = []
      const flatten = (e: ts.Expression): void => {
        if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
          flatten(e.left)
          flatten(e.right)
        } else parts.push(e)
      }
      flatten(node)
      let key = ''
      let i = 0
      for (const p of parts) {
        const resolved = ts.isStringLiteral(p) || ts.isNoSubstitutionTemplateLiteral(p) ? p.text : null
        const constant = ts.isIdentifier(p) ? textsOf(p, seen) : null
        if (resolved !== null) key += resolved
        else if (constant && constant.length === 1) key += constant[0]
        else key += `{${i++}}`
      }
      return [key]
    }
    if (ts.isConditionalExpression(node)) {
      return [...(textsOf(node.whenTrue, seen) ?? []), ...(textsOf(node.whenFalse, seen) ?? [])]
    }
    if (
      ts.isBinaryExpression(node) &&
      (node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken ||
        node.operatorToken.kind === ts.SyntaxKind.BarBarToken)
    ) {
      return [...(textsOf(node.left, seen) ?? []), ...(textsOf(node.right, seen) ?? [])]
    }
    if (ts.isIdentifier(node)) {
      if (seen.has(node.text)) return null
      const inner = new Set([...seen, node.text])
      // The nearest declaration: a parameter of an enclosing function, a const in an enclosing block.
      for (let up: ts.Node | undefined = node.parent; up; up = up.parent) {
        if (ts.isFunctionLike(up)) {
          const index = up.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === node.text)
          if (index >= 0) return parameterTexts(up as ts.FunctionLikeDeclaration, index, inner)
        }
        if (ts.isBlock(up) || ts.isSourceFile(up)) {
          for (const st of up.statements) {
            if (!ts.isVariableStatement(st)) continue
            for (const d of st.declarationList.declarations) {
              if (ts.isIdentifier(d.name) && d.name.text === node.text && d.initializer)
                return textsOf(d.initializer, inner)
            }
          }
        }
      }
      const init = consts.get(node.text)
      return init ? textsOf(init, inner) : null
    }
    if (ts.isElementAccessExpression(node)) return textsOf(node.expression, seen)
    if (ts.isObjectLiteralExpression(node)) {
      return node.properties.flatMap((p) =>
        ts.isPropertyAssignment(p) ? (textsOf(p.initializer, seen) ?? []) : [],
      )
    }
    return null
  }

  const add = (node: ts.Expression): void => {
    const found = textsOf(node)
    if (found === null) unresolved.push({ text: node.getText(file), line: lineOf(node) })
    else for (const text of found) if (hasLetters(text)) texts.push({ text, line: lineOf(node) })
  }
  const isContract = /src[/\\]shared[/\\]/.test(fileName)

  const visit = (n: ts.Node): void => {
    if (ts.isNewExpression(n) && ts.isIdentifier(n.expression)) {
      const name = n.expression.text
      if ((name === 'AppError' || name === 'DatabaseOpenError') && n.arguments?.[1]) add(n.arguments[1])
      if (name === 'StorageError') {
        /* its texts are the STORAGE_MESSAGES record, found below */
      }
    }
    if (ts.isCallExpression(n)) {
      const callee = n.expression
      if (
        ts.isIdentifier(callee) &&
        callee.text === 'fail' &&
        n.arguments[0] &&
        ts.isObjectLiteralExpression(n.arguments[0])
      ) {
        for (const p of n.arguments[0].properties) {
          if (ts.isPropertyAssignment(p) && p.name.getText(file) === 'message') add(p.initializer)
        }
      }
      if (isContract && ts.isPropertyAccessExpression(callee) && ZOD_CHECKS.has(callee.name.text)) {
        for (const a of n.arguments) {
          if (ts.isStringLiteral(a) || ts.isNoSubstitutionTemplateLiteral(a) || ts.isTemplateExpression(a))
            add(a)
        }
      }
    }
    if (isContract && ts.isPropertyAssignment(n) && ['message', 'error'].includes(n.name.getText(file))) {
      const v = n.initializer
      if (
        ts.isStringLiteral(v) ||
        ts.isNoSubstitutionTemplateLiteral(v) ||
        ts.isTemplateExpression(v) ||
        ts.isConditionalExpression(v)
      )
        add(v)
    }
    if (
      ts.isVariableDeclaration(n) &&
      ts.isIdentifier(n.name) &&
      n.name.text === 'STORAGE_MESSAGES' &&
      n.initializer
    )
      add(n.initializer)
    // The access rules' reasons: every text a whyNot… function returns.
    if (ts.isFunctionDeclaration(n) && n.name?.text.startsWith('whyNot') && n.body) {
      const returns = (m: ts.Node): void => {
        if (ts.isReturnStatement(m) && m.expression && m.expression.kind !== ts.SyntaxKind.NullKeyword) {
          const found = textsOf(m.expression)
          if (found) for (const text of found) if (hasLetters(text)) texts.push({ text, line: lineOf(m) })
        }
        if (!ts.isFunctionLike(m)) ts.forEachChild(m, returns)
      }
      ts.forEachChild(n.body, returns)
    }
    ts.forEachChild(n, visit)
  }
  visit(file)
  return { texts, unresolved }
}
