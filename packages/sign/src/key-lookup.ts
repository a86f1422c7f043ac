import { decodePublicMultikey } from './multikey.js'

export type KeyLookup =
  | { status: 'usable'; publicKey: Uint8Array; revoked?: string }
  | { status: 'unknown key'; reason: string }
  | { status: 'revoked key'; reason: string }

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
  const method = methods.find((m): m is Record<string, unknown> =>
    typeof m === 'object' && m !== null && expand((m as Record<string, unknown>).id) === verificationMethod)
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
    const until = typeof value === 'string' ? Date.parse(value) : NaN
    if (Number.isNaN(until)) return unknown(`${verificationMethod} has an unreadable ${field} date ${JSON.stringify(value)}`)
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
