import { FUNDING_ABOUT, MAX_ENVELOPE_BYTES } from './constants.js'
import { multibaseDecode } from './base58.js'
import { isWellFormed } from './jcs.js'
import { isLanguageTag } from './language-tag.js'
import { checkReference, REFERENCE_FIELDS, type Reference } from './reference.js'

// Text below U+0300 without CR is LF-only, NFC and well-formed (nothing there combines, decomposes
// or is a surrogate), so most posts pass the text rules after one native scan.
const MAY_BREAK_TEXT_RULES = /[\r\u0300-\uffff]/

export interface EnvelopeAuthor {
  name: string
  url?: string
}

/** A post as a JSON Feed 1.1 item: what gets signed. */
export interface EnvelopeItem {
  id: string
  url: string
  title?: string
  content_html: string
  summary?: string
  date_published: string
  date_modified?: string
  authors: EnvelopeAuthor[]
  tags?: string[]
  language?: string
  /** What the post answers, likes, reposts or bookmarks (spec §4.1). */
  in_reply_to?: Reference
  like_of?: Reference
  repost_of?: Reference
  bookmark_of?: Reference
  /** The post's funding links (spec §4.4), signed so that nobody on the way can swap one. */
  _funding?: EnvelopeFunding
}

/** A way to pay the author: `label` (at most 128 characters) and an `https:` or `lightning:` URL. */
export interface FundingLink {
  label: string
  url: string
}

export interface EnvelopeFunding {
  about: string
  links: FundingLink[]
}

/** The one date form envelopes and proofs use: UTC, whole seconds, `Z`. */
export const UTC_SECONDS = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\dZ$/

const ZONED = /(Z|[+-]\d{2}:?\d{2})$/i
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/

/** '2026-01-05T10:00:00Z'. Fractions of a second are dropped; a string must name its time zone. */
export function toUtcSeconds(date: Date | string): string {
  let time: number
  if (typeof date === 'string') {
    const text = date.trim()
    // Without a zone JavaScript would read a date-time as local time, which differs between machines.
    if (!DATE_ONLY.test(text) && !ZONED.test(text)) {
      throw new RangeError(`${JSON.stringify(date)} has no time zone; add "Z" or an offset such as "+01:00"`)
    }
    time = Date.parse(text)
  } else {
    time = date instanceof Date ? date.getTime() : NaN
  }
  if (Number.isNaN(time)) throw new RangeError(`${JSON.stringify(String(date))} is not a valid date`)
  const iso = new Date(Math.floor(time / 1000) * 1000).toISOString()
  if (!/^\d{4}-/.test(iso)) throw new RangeError(`${JSON.stringify(String(date))} is outside the years 0000–9999`)
  return iso.replace('.000Z', 'Z')
}

/** LF line ends and Unicode NFC, so every parser and platform sees the same characters. */
export function normalizeHtml(html: string): string {
  if (!MAY_BREAK_TEXT_RULES.test(html)) return html
  return html.replace(/\r\n?/g, '\n').normalize('NFC')
}

const FIELDS: Record<string, 'required' | 'optional'> = {
  id: 'required', url: 'required', title: 'optional', content_html: 'required', summary: 'optional',
  date_published: 'required', date_modified: 'optional', authors: 'required', tags: 'optional', language: 'optional',
  _funding: 'optional',
  in_reply_to: 'optional', like_of: 'optional', repost_of: 'optional', bookmark_of: 'optional',
}
const REQUIRED_FIELDS = Object.keys(FIELDS).filter((key) => FIELDS[key] === 'required')
const STRING_FIELDS = ['id', 'url', 'title', 'content_html', 'summary', 'language', 'date_published', 'date_modified']
const DATE_FIELDS = ['date_published', 'date_modified']
// Optional text members have a value or are left out: "" would be a second way to say "none".
const NON_EMPTY_FIELDS = ['title', 'summary', 'language']
// A scheme makes a URL absolute; '//host/…' and '/path' depend on the page's own URL.
const ABSOLUTE = /^[A-Za-z][A-Za-z0-9+.-]*:/

/**
 * One sentence for each envelope rule `item` breaks; [] when it is fine.
 * Serves unsigned and signed envelopes: a `proof` member, if present, must have the spec's form.
 */
export function checkEnvelopeRules(item: unknown): string[] {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return ['The envelope must be a JSON object.']
  const problems: string[] = []
  const record = item as Record<string, unknown>
  const size = { chars: 0 }
  checkValues(record, 'envelope', problems, size)
  for (const key of Object.keys(record)) {
    if (key !== 'proof' && !Object.hasOwn(FIELDS, key) && record[key] !== undefined) {
      problems.push(`"${key}" is not an envelope field (allowed: ${Object.keys(FIELDS).join(', ')}).`)
    }
  }
  for (const key of REQUIRED_FIELDS) {
    if (record[key] === undefined) problems.push(`"${key}" is missing.`)
  }
  for (const key of STRING_FIELDS) {
    if (record[key] !== undefined && typeof record[key] !== 'string') problems.push(`"${key}" must be a string.`)
  }
  // id and url are usually the same string: one URL parse serves both.
  const idIsWebUrl = typeof record.id === 'string' && isWebUrl(record.id)
  for (const key of ['id', 'url'] as const) {
    const value = record[key]
    if (typeof value === 'string' && !(value === record.id ? idIsWebUrl : isWebUrl(value))) {
      problems.push(`"${key}" must be an absolute http(s) URL, got ${JSON.stringify(value)}.`)
    }
  }
  for (const key of DATE_FIELDS) {
    const value = record[key]
    if (typeof value === 'string' && !isUtcSeconds(value)) {
      problems.push(`"${key}" must be a UTC date in whole seconds ending in Z (like 2026-01-05T10:00:00Z), got ${JSON.stringify(value)}.`)
    }
  }
  for (const key of NON_EMPTY_FIELDS) {
    if (record[key] === '') problems.push(`"${key}" is an empty string; leave an optional member out instead.`)
  }
  if (typeof record.language === 'string' && record.language !== '' && !isLanguageTag(record.language)) {
    problems.push(`"language" must be a well-formed BCP 47 language tag such as "en" or "pt-BR", got ${JSON.stringify(record.language)}.`)
  }
  if (record.proof !== undefined) {
    checkProof(record.proof, problems)
    const created = createdProblem(record)
    if (created) problems.push(created)
  }
  if (typeof record.content_html === 'string') checkHtmlUrls(record.content_html, problems)
  checkAuthors(record.authors, problems)
  if (record._funding !== undefined) checkFunding(record._funding, problems)
  for (const key of REFERENCE_FIELDS) if (record[key] !== undefined) checkReference(key, record[key], problems, isWebUrl)
  if (record.tags !== undefined && (!Array.isArray(record.tags) || !record.tags.every((t) => typeof t === 'string'))) {
    problems.push('"tags" must be an array of strings.')
  }
  // JSON escaping at most sextuples a character and UTF-8 at most triples one, so the exact
  // (and slower) measurement is only needed for envelopes near the limit.
  if (problems.length === 0 && size.chars * 6 > MAX_ENVELOPE_BYTES) {
    const { proof: _proof, ...body } = record
    // With only strings and integers left, JSON.stringify has exactly the length of the JCS form.
    const bytes = new TextEncoder().encode(JSON.stringify(body)).length
    if (bytes > MAX_ENVELOPE_BYTES) problems.push(`The envelope is ${bytes} bytes; the limit is ${MAX_ENVELOPE_BYTES}.`)
  }
  return problems
}

/**
 * `proof.created` is the post's own date: `date_modified`, or else `date_published` (spec §4.3), so
 * what a reader sees as the post's date is what revocation is judged by. A sentence when it is not.
 */
export function createdProblem(envelope: Record<string, unknown>): string | undefined {
  const proof = envelope.proof as Record<string, unknown> | undefined
  const want = envelope.date_modified ?? envelope.date_published
  if (typeof proof !== 'object' || proof === null || typeof want !== 'string' || proof.created === want) return undefined
  // A created that is not a timestamp at all is reported by the proof's own rules.
  if (typeof proof.created !== 'string' || !isUtcSeconds(proof.created)) return undefined
  const from = envelope.date_modified === undefined ? 'date_published' : 'date_modified'
  return `"proof.created" is ${JSON.stringify(proof.created)}; it must be the post's ${from}, ${JSON.stringify(want)}.`
}

export function isUtcSeconds(value: string): boolean {
  if (!UTC_SECONDS.test(value)) return false
  // The pattern allows day 31 in every month; arithmetic is much cheaper than Date parsing here.
  const year = Number(value.slice(0, 4))
  const month = Number(value.slice(5, 7))
  const day = Number(value.slice(8, 10))
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  const days = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31
  return day <= days
}

function isWebUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.host !== ''
  } catch {
    return false
  }
}

function isAbsoluteUrl(value: string): boolean {
  try {
    return ABSOLUTE.test(value) && new URL(value).protocol !== ''
  } catch {
    return false
  }
}

function checkAuthors(authors: unknown, problems: string[]): void {
  if (authors === undefined) return
  if (!Array.isArray(authors) || authors.length === 0) {
    problems.push('"authors" must be a non-empty array of {"name", "url"?} objects.')
    return
  }
  authors.forEach((author: unknown, i) => {
    const where = `authors[${i}]`
    if (typeof author !== 'object' || author === null || Array.isArray(author)) return void problems.push(`"${where}" must be an object.`)
    const a = author as Record<string, unknown>
    if (typeof a.name !== 'string' || a.name.trim() === '') problems.push(`"${where}.name" must be a non-empty string.`)
    // Any absolute URL, as in JSON Feed 1.1 (mailto: included); it names the author, it is not a link of the post.
    if (a.url !== undefined && (typeof a.url !== 'string' || !isAbsoluteUrl(a.url))) problems.push(`"${where}.url" must be an absolute URL (such as https://… or mailto:…).`)
    for (const key of Object.keys(a)) {
      if (key !== 'name' && key !== 'url' && a[key] !== undefined) problems.push(`"${where}.${key}" is not allowed (only name and url).`)
    }
  })
}

/** The longest funding label: RSS carries it in `<podcast:funding>`, which allows 128 characters. */
export const MAX_FUNDING_LABEL = 128

function checkFunding(funding: unknown, problems: string[]): void {
  if (typeof funding !== 'object' || funding === null || Array.isArray(funding)) return void problems.push('"_funding" must be an object with "about" and "links".')
  const f = funding as Record<string, unknown>
  for (const key of Object.keys(f)) if (key !== 'about' && key !== 'links') problems.push(`"_funding.${key}" is not allowed (only about and links).`)
  if (f.about !== FUNDING_ABOUT) problems.push(`"_funding.about" must be "${FUNDING_ABOUT}".`)
  if (!Array.isArray(f.links) || f.links.length === 0) return void problems.push('"_funding.links" must be a non-empty array of {"label", "url"} objects.')
  f.links.forEach((link: unknown, i) => {
    const where = `_funding.links[${i}]`
    if (typeof link !== 'object' || link === null || Array.isArray(link)) return void problems.push(`"${where}" must be an object.`)
    const l = link as Record<string, unknown>
    if (typeof l.label !== 'string' || l.label.trim() === '' || l.label.length > MAX_FUNDING_LABEL) problems.push(`"${where}.label" must be a non-empty string of at most ${MAX_FUNDING_LABEL} characters.`)
    if (typeof l.url !== 'string' || !isPaymentUrl(l.url)) problems.push(`"${where}.url" must be an absolute https: URL or lightning:name@domain.`)
    for (const key of Object.keys(l)) if (key !== 'label' && key !== 'url') problems.push(`"${where}.${key}" is not allowed (only label and url).`)
  })
}

function isPaymentUrl(value: string): boolean {
  if (value.startsWith('lightning:')) return /^lightning:[a-z0-9._-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$/.test(value)
  try {
    const url = new URL(value)
    return url.protocol === 'https:' && url.host !== '' && url.href === value
  } catch {
    return false
  }
}

const PROOF_CONSTANTS: Record<string, string> = {
  type: 'DataIntegrityProof', cryptosuite: 'eddsa-jcs-2022', proofPurpose: 'assertionMethod',
}

function checkProof(proof: unknown, problems: string[]): void {
  if (typeof proof !== 'object' || proof === null || Array.isArray(proof)) return void problems.push('"proof" must be an object.')
  const p = proof as Record<string, unknown>
  for (const key of Object.keys(p)) {
    if (!['type', 'cryptosuite', 'created', 'verificationMethod', 'proofPurpose', 'proofValue'].includes(key)) {
      problems.push(`"proof.${key}" is not a proof field.`)
    }
  }
  for (const [key, value] of Object.entries(PROOF_CONSTANTS)) {
    if (p[key] !== value) problems.push(`"proof.${key}" must be "${value}".`)
  }
  if (typeof p.created !== 'string' || !isUtcSeconds(p.created)) problems.push('"proof.created" must be a UTC date in whole seconds ending in Z.')
  if (typeof p.verificationMethod !== 'string' || !/^did:web:[^#]+#[A-Za-z0-9._-]+$/.test(p.verificationMethod)) {
    problems.push('"proof.verificationMethod" must be a did:web key reference such as did:web:example.com#key-1.')
  }
  let signatureBytes = -1
  try {
    if (typeof p.proofValue === 'string') signatureBytes = multibaseDecode(p.proofValue).length
  } catch {
    // reported below
  }
  if (signatureBytes !== 64) problems.push('"proof.proofValue" must be "z" followed by base58btc of a 64-byte signature.')
}

// Readers resolve relative links against different bases, so what they show would drift from
// what was signed. Fragment-only links (footnotes) point inside the post and are allowed; an empty
// value (`href=""`) is a link to the page it is shown on, so it is relative too.
function checkHtmlUrls(html: string, problems: string[]): void {
  for (const value of urlAttributeValues(html)) {
    const url = trimUrl(value)
    if (url.startsWith('#')) continue
    if (!ABSOLUTE.test(url)) problems.push(`"content_html" has a relative URL ${JSON.stringify(url)}; write it as an absolute URL.`)
  }
}

/** Without the leading and trailing C0 controls and spaces a URL parser strips (and nothing more). */
function trimUrl(value: string): string {
  let start = 0
  let end = value.length
  while (start < end && value.charCodeAt(start) <= 32) start++
  while (end > start && value.charCodeAt(end - 1) <= 32) end--
  return value.slice(start, end)
}

const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'poster', 'cite'])

/**
 * The values of the href, src, action, poster and cite attributes of the HTML's start tags, as the
 * HTML tokenizer reads tags, comments and attributes: text that only mentions `href="/about/"` (prose,
 * `<code>`, a code block, whose `<` is escaped) is not an attribute. Values are as written (character
 * references are not decoded: a reference can only turn an absolute URL into one that looks relative,
 * never the other way round). Where a parser would find fewer attributes (the text of `<script>`,
 * `<style>`, `<textarea>` and `<title>`, a later duplicate, a tag cut off by the end), this reads them
 * all: it may refuse more, never less. One pass, every post is checked before it is signed.
 */
export function urlAttributeValues(html: string): string[] {
  const values: string[] = []
  const n = html.length
  let at = 0
  for (;;) {
    const lt = html.indexOf('<', at)
    if (lt === -1 || lt + 1 >= n) return values
    const next = html.charCodeAt(lt + 1)
    if (isAsciiLetter(next)) at = readTag(html, lt + 1, values)
    else if (next === 47 /* / */ && isAsciiLetter(html.charCodeAt(lt + 2))) at = readTag(html, lt + 2, undefined)
    else if (html.startsWith('<!--', lt)) at = commentEnd(html, lt + 4)
    else if (next === 33 /* ! */ || next === 63 /* ? */ || next === 47 /* / */) {
      // `<!DOCTYPE …>`, `<![CDATA[…`, `<?…>`, `</>` and `</…` with no letter: up to the first `>`.
      const close = html.indexOf('>', lt + 2)
      at = close === -1 ? n : close + 1
    } else at = lt + 1
  }
}

/** Where a comment whose `<!--` ends just before `from` ends: after `-->` or `--!>` (or at once, for `<!-->` and `<!--->`). */
function commentEnd(html: string, from: number): number {
  if (html.startsWith('>', from)) return from + 1
  if (html.startsWith('->', from)) return from + 2
  for (let dash = html.indexOf('--', from); dash !== -1; dash = html.indexOf('--', dash + 1)) {
    if (html.startsWith('>', dash + 2)) return dash + 3
    if (html.startsWith('!>', dash + 2)) return dash + 4
  }
  return html.length
}

/**
 * Reads the tag whose name starts at `from`, adding its URL attributes' values to `values` (an end
 * tag's attributes, which parsers drop, are read to find where it ends and not kept). Returns where
 * the tag ends. A tag the end of the text cuts off has no `>`; its values are kept all the same.
 */
function readTag(html: string, from: number, values: string[] | undefined): number {
  const n = html.length
  let at = from
  while (at < n && !isTagSpace(html.charCodeAt(at)) && html[at] !== '/' && html[at] !== '>') at++
  for (;;) {
    while (at < n && (isTagSpace(html.charCodeAt(at)) || html[at] === '/')) at++
    if (at >= n) return n
    if (html[at] === '>') return at + 1
    // An attribute name: its first character may be `=`.
    const nameStart = at
    at++
    while (at < n && !isTagSpace(html.charCodeAt(at)) && html[at] !== '/' && html[at] !== '>' && html[at] !== '=') at++
    const name = html.slice(nameStart, at)
    const kept = values !== undefined && name.length <= 6 && URL_ATTRIBUTES.has(name.toLowerCase())
    while (at < n && isTagSpace(html.charCodeAt(at))) at++
    if (html[at] !== '=') {
      // `<a href>`: an attribute with no value has the empty one.
      if (kept) values.push('')
      continue
    }
    at++
    while (at < n && isTagSpace(html.charCodeAt(at))) at++
    if (at >= n) return n
    const quote = html[at]
    let value: string
    if (quote === '"' || quote === "'") {
      const close = html.indexOf(quote, at + 1)
      value = html.slice(at + 1, close === -1 ? n : close)
      at = close === -1 ? n : close + 1
    } else if (quote === '>') {
      value = ''
    } else {
      const valueStart = at
      while (at < n && !isTagSpace(html.charCodeAt(at)) && html[at] !== '>') at++
      value = html.slice(valueStart, at)
    }
    if (kept) values.push(value)
  }
}

function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
}

// The HTML tokenizer's whitespace: tab, LF, FF, CR (read as LF) and space.
function isTagSpace(c: number): boolean {
  return c === 9 || c === 10 || c === 12 || c === 13 || c === 32
}

// Walks every value: only strings, integers, arrays and objects; strings NFC without CR.
function checkValues(value: unknown, path: string, problems: string[], size: { chars: number }): void {
  size.chars += path.length + 8
  if (typeof value === 'string') {
    size.chars += value.length
    if (!MAY_BREAK_TEXT_RULES.test(value)) return
    if (value.includes('\r')) problems.push(`"${path}" contains a carriage return (CR); use LF line ends.`)
    if (value.normalize('NFC') !== value) problems.push(`"${path}" is not in Unicode NFC; normalise it (String.prototype.normalize('NFC')).`)
    if (!isWellFormed(value)) problems.push(`"${path}" contains a lone surrogate.`)
  } else if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) problems.push(`"${path}" is the number ${value}; only integers up to 2^53-1 are allowed (no floats).`)
  } else if (Array.isArray(value)) {
    value.forEach((v: unknown, i) => checkValues(v, `${path}[${i}]`, problems, size))
  } else if (typeof value === 'object' && value !== null) {
    const proto: unknown = Object.getPrototypeOf(value)
    if (proto !== Object.prototype && proto !== null) return void problems.push(`"${path}" is not plain JSON data (convert it to a string).`)
    for (const [k, v] of Object.entries(value)) {
      if (path === 'envelope' && k === 'proof') continue
      if (v !== undefined) checkValues(v, path === 'envelope' ? k : `${path}.${k}`, problems, size)
    }
  } else if (value !== undefined) {
    problems.push(`"${path}" is ${value === null ? 'null' : `a ${typeof value}`}; only strings, integers, arrays and objects are allowed.`)
  }
}
