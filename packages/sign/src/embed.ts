const UNSAFE = /[<>&\u2028\u2029\uFFFE\uFFFF]/g

/**
 * JSON text that is valid XML character data and cannot end an HTML <script>:
 * < > & U+2028 U+2029 (and the XML non-characters U+FFFE U+FFFF) become \uXXXX escapes,
 * which any JSON parser turns back into the same characters.
 */
export function embedJson(value: unknown): string {
  const json = JSON.stringify(value)
  if (json === undefined) throw new TypeError('embedJson: the value has no JSON form')
  return json.replace(UNSAFE, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'))
}
