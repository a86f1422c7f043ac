// Most JSON parsers keep the last of two equal keys silently, so two verifiers could read
// different envelopes from the same bytes. Signet verifiers reject such text outright.

/** JSON.parse that throws a SyntaxError (with line and column) when an object repeats a key. */
export function parseJsonStrict(text: string): unknown {
  const value: unknown = JSON.parse(text)
  const duplicate = findDuplicateKey(text)
  if (duplicate) {
    throw new SyntaxError(`duplicate key ${JSON.stringify(duplicate.key)} at line ${duplicate.line}, column ${duplicate.column}; JSON with repeated keys is rejected`)
  }
  return value
}

interface Frame {
  keys: Set<string> | undefined // undefined for arrays
  expectKey: boolean
}

/** First repeated key in already-valid JSON text, compared after unescaping. */
export function findDuplicateKey(text: string): { key: string; line: number; column: number } | undefined {
  const stack: Frame[] = []
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    const top = stack[stack.length - 1]
    if (c === '{') stack.push({ keys: new Set(), expectKey: true })
    else if (c === '[') stack.push({ keys: undefined, expectKey: false })
    else if (c === '}' || c === ']') stack.pop()
    else if (c === ',' && top?.keys) top.expectKey = true
    else if (c === '"') {
      const start = i
      for (i++; text[i] !== '"'; i++) if (text[i] === '\\') i++
      if (top?.keys && top.expectKey) {
        const key = JSON.parse(text.slice(start, i + 1)) as string
        if (top.keys.has(key)) {
          const before = text.slice(0, start)
          const line = before.split('\n').length
          return { key, line, column: start - before.lastIndexOf('\n') }
        }
        top.keys.add(key)
        top.expectKey = false
      }
    }
  }
  return undefined
}
