import { multibaseDecode, multibaseEncode } from './base58.js'
import { nobleSha256, type Sha256 } from './ed25519.js'
import { canonicalize } from './jcs.js'

/**
 * The envelope members that point at another post, as the IndieWeb names them (spec §4.1): a reply,
 * a like, a repost, a bookmark. Each names the target's URL and, when the target was signed, the id
 * of its envelope and a digest of it, so a verifier can tell which version was answered.
 */
export const REFERENCE_FIELDS = ['in_reply_to', 'like_of', 'repost_of', 'bookmark_of'] as const
export type ReferenceField = (typeof REFERENCE_FIELDS)[number]

export interface Reference {
  url: string
  /** The target envelope's `id`, when the target was signed. */
  id?: string
  /** `z` + base58btc(0x12 0x20 ‖ SHA-256(JCS(target envelope without its proof))): a multihash. */
  digestMultibase?: string
}

/** The digest a reference records of a signed target: its unsigned envelope's SHA-256 as a multibase multihash. */
export function referenceDigest(envelope: object, sha256: Sha256 = nobleSha256): string {
  const { proof: _proof, ...unsigned } = envelope as Record<string, unknown>
  const hash = sha256(new TextEncoder().encode(canonicalize(unsigned)))
  const bytes = new Uint8Array(34)
  bytes.set([0x12, 0x20], 0)
  bytes.set(hash, 2)
  return multibaseEncode(bytes)
}

/** One sentence per rule a reference member breaks. */
export function checkReference(name: string, value: unknown, problems: string[], isWebUrl: (url: string) => boolean): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return void problems.push(`"${name}" must be an object with "url" (and "id" and "digestMultibase" for a signed target).`)
  const r = value as Record<string, unknown>
  for (const key of Object.keys(r)) {
    if (key !== 'url' && key !== 'id' && key !== 'digestMultibase' && r[key] !== undefined) problems.push(`"${name}.${key}" is not allowed (only url, id and digestMultibase).`)
  }
  if (typeof r.url !== 'string' || !isWebUrl(r.url)) problems.push(`"${name}.url" must be an absolute http(s) URL.`)
  if (r.id !== undefined && (typeof r.id !== 'string' || !isWebUrl(r.id))) problems.push(`"${name}.id" must be an absolute http(s) URL.`)
  if ((r.id === undefined) !== (r.digestMultibase === undefined)) problems.push(`"${name}" must have both "id" and "digestMultibase", or neither.`)
  if (r.digestMultibase !== undefined) {
    let ok = false
    try {
      const bytes = typeof r.digestMultibase === 'string' ? multibaseDecode(r.digestMultibase) : undefined
      ok = bytes !== undefined && bytes.length === 34 && bytes[0] === 0x12 && bytes[1] === 0x20
    } catch {
      ok = false
    }
    if (!ok) problems.push(`"${name}.digestMultibase" must be "z" followed by base58btc of a SHA-256 multihash (0x12 0x20 and 32 bytes).`)
  }
}
