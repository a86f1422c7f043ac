// Well-formed BCP 47 language tags (RFC 5646 §2.1, the ABNF `Language-Tag`). Only the grammar is
// checked, not the IANA registry: a verifier needs no data file to agree with every other one.

const ALPHANUM = '[a-z0-9]'
const LANGTAG = new RegExp(
  '^(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})' + // language (with up to three extlang)
    '(?:-[a-z]{4})?' + // script
    '(?:-(?:[a-z]{2}|[0-9]{3}))?' + // region
    `(?:-(?:${ALPHANUM}{5,8}|[0-9]${ALPHANUM}{3}))*` + // variants
    `(?:-[0-9a-wyz](?:-${ALPHANUM}{2,8})+)*` + // extensions (singleton other than x)
    `(?:-x(?:-${ALPHANUM}{1,8})+)?$`, // private use
)
const PRIVATE_USE = new RegExp(`^x(?:-${ALPHANUM}{1,8})+$`)
// RFC 5646 §2.2.8: grandfathered tags, irregular and regular, matched whole.
const GRANDFATHERED = new Set([
  'en-gb-oed', 'i-ami', 'i-bnn', 'i-default', 'i-enochian', 'i-hak', 'i-klingon', 'i-lux', 'i-mingo', 'i-navajo',
  'i-pwn', 'i-tao', 'i-tay', 'i-tsu', 'sgn-be-fr', 'sgn-be-nl', 'sgn-ch-de',
  'art-lojban', 'cel-gaulish', 'no-bok', 'no-nyn', 'zh-guoyu', 'zh-hakka', 'zh-min', 'zh-min-nan', 'zh-xiang',
])

/** True iff `tag` is a well-formed BCP 47 language tag (case-insensitive; no repeated checks of the registry). */
export function isLanguageTag(tag: string): boolean {
  if (tag.length === 0 || tag.length > 256) return false
  const lower = tag.toLowerCase()
  if (GRANDFATHERED.has(lower) || PRIVATE_USE.test(lower)) return true
  if (!LANGTAG.test(lower)) return false
  // RFC 5646 §2.2.5 and §2.2.6: a variant, or an extension's singleton, may not appear twice.
  const seen = new Set<string>()
  let inExtensions = false
  for (const part of lower.split('-').slice(1)) {
    if (part === 'x') break
    if (part.length === 1) inExtensions = true
    else if (inExtensions || !(part.length >= 5 || (part.length === 4 && /^[0-9]/.test(part)))) continue
    if (seen.has(part)) return false
    seen.add(part)
  }
  return true
}
