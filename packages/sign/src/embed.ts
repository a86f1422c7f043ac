const UNSAFE = /[<>&\u2028\u2029\uFFFE\uFFFF]/

/**
 * JSON text that is valid XML character data and cannot end an HTML <script>:
 * < > & U+2028 U+2029 (and the XML non-characters U+FFFE U+FFFF) become \uXXXX escapes,
 * which any JSON parser turns back into the same characters.
 */
export function embedJson(value: unknown): string {
  const json = JSON.stringify(value)
  if (json === undefined) throw new TypeError('embedJson: the value has no JSON form')
  if (!UNSAFE.test(json)) return json
  // Native string replacement, one character at a time: a post's HTML has hundreds of < and >, and
  // a replace callback per match cost more than making the rest of the page.
  return json.replaceAll('<', '\\u003c').replaceAll('>', '\\u003e').replaceAll('&', '\\u0026')
    .replaceAll('\u2028', '\\u2028').replaceAll('\u2029', '\\u2029').replaceAll('\uFFFE', '\\ufffe').replaceAll('\uFFFF', '\\uffff')
}
