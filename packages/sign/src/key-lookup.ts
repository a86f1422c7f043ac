import { isUtcSeconds } from './envelope.js'
import { decodePublicMultikey } from './multikey.js'

export type KeyLookup =
  | { status: 'usable'; publicKey: Uint8Array; revoked?: string }
  | { status: 'unknown key'; reason: string }
  | { status: 'revoked key'; reason: string }
  | { status: 'malformed'; reason: string }

/**
 * Applies the spec's key rules to a fetched DID document: the proof's verificationMethod must
 * be listed with a valid Multikey; it must be in assertionMethod, or be revoked after `created`.
 * `firstSeen` (when the verifier first saw the post) lets a stolen, backdated key be caught.
 */
export function findSigningKey(didDocument: unknown, verificationMethod: string, created: string, firstSeen?: string): KeyLookup {
  const did = verificationMethod.split('#')[0] ?? ''
  if (typeof didDocument !== 'object' || didDocument === null) return unknown('the DID document is not a JSON object')
  const doc = didDocument as Record<string, unknown>
  if (doc.id !== did) return unknown(`the DID document's id ${JSON.stringify(doc.id)} is not ${JSON.stringify(did)}`)
  const expand = (id: unknown): unknown => (typeof id === 'string' && id.startsWith('#') ? did + id : id)
  const methods = Array.isArray(doc.verificationMethod) ? (doc.verificationMethod as unknown[]) : []
  const matches = methods.filter((m): m is Record<string, unknown> =>
    typeof m === 'object' && m !== null && expand((m as Record<string, unknown>).id) === verificationMethod)
  // Two entries with one id would make the result depend on which one a verifier happens to take.
  if (matches.length > 1) return { status: 'malformed', reason: `the DID document lists ${verificationMethod} ${matches.length} times` }
  const method = matches[0]
  if (!method) return unknown(`${verificationMethod} is not listed in the DID document`)
  if (method.type !== 'Multikey') return unknown(`${verificationMethod} has type ${JSON.stringify(method.type)}, expected "Multikey"`)
  if (method.controller !== undefined && method.controller !== did) return unknown(`${verificationMethod} is controlled by ${JSON.stringify(method.controller)}, not ${did}`)
  let publicKey: Uint8Array
  try {
    publicKey = decodePublicMultikey(String(method.publicKeyMultibase))
  } catch (error) {
    return unknown(`${verificationMethod}: ${(error as Error).message}`)
  }
  for (const field of ['revoked', 'expires'] as const) {
    const value = method[field]
    if (value === undefined) continue
    // A key said to be revoked at a time that cannot be read is treated as revoked from the start.
    if (typeof value !== 'string' || !isUtcSeconds(value)) {
      return revoked(`${verificationMethod} has a ${field} date that is not a UTC timestamp (${JSON.stringify(value)}), so it counts as ${field} from the start`)
    }
    const until = Date.parse(value)
    if (Date.parse(created) >= until) return revoked(`${verificationMethod} is ${field} since ${value}; the proof was created ${created}`)
    if (firstSeen !== undefined && Date.parse(firstSeen) >= until) {
      return revoked(`${verificationMethod} is ${field} since ${value}, and this post was first seen ${firstSeen} (possible backdating)`)
    }
  }
  const listed = Array.isArray(doc.assertionMethod) && (doc.assertionMethod as unknown[]).some((m) => expand(m) === verificationMethod)
  if (!listed && method.revoked === undefined) return unknown(`${verificationMethod} is not listed in assertionMethod`)
  return method.revoked === undefined ? { status: 'usable', publicKey } : { status: 'usable', publicKey, revoked: String(method.revoked) }
}

function unknown(reason: string): KeyLookup {
  return { status: 'unknown key', reason }
}

function revoked(reason: string): KeyLookup {
  return { status: 'revoked key', reason }
}
