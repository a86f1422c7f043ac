import { DID_CONTEXT } from './constants.js'
import { decodePublicMultikey, SignetKeyError } from './multikey.js'
import { toUtcSeconds } from './envelope.js'

/** One key in the site's registry. `id` is the fragment, e.g. `key-2026-11`; `revoked` an ISO date. */
export interface KeyEntry {
  id: string
  publicKeyMultibase: string
  revoked?: string
}

export interface VerificationMethod {
  id: string
  type: 'Multikey'
  controller: string
  publicKeyMultibase: string
  revoked?: string
}

export interface DidDocument {
  '@context': string[]
  id: string
  verificationMethod: VerificationMethod[]
  assertionMethod: string[]
  /** The author's other accounts and sites (`rel="me"` links). */
  alsoKnownAs?: string[]
  /** The site's funding links, as `FundingLink` services `#funding-1`, `#funding-2`… */
  service?: { id: string; type: 'FundingLink'; serviceEndpoint: string }[]
}

/** What a did.json says about its author besides the keys; each part only when the site has it. */
export interface DidProfile {
  alsoKnownAs?: string[]
  funding?: { url: string }[]
}

const KEY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/

/**
 * The did.json for `did`. Every key stays listed so old posts keep verifying;
 * revoked keys carry `revoked` and are left out of `assertionMethod`.
 */
export function createDidDocument(did: string, keys: KeyEntry[], profile: DidProfile = {}): DidDocument {
  const seen = new Set<string>()
  const verificationMethod = keys.map((key): VerificationMethod => {
    if (!KEY_ID.test(key.id)) {
      throw new SignetKeyError(`key id ${JSON.stringify(key.id)} may contain only letters, digits, ".", "_" and "-" (e.g. key-2026-11)`)
    }
    if (seen.has(key.id)) throw new SignetKeyError(`key id ${JSON.stringify(key.id)} is listed twice`)
    seen.add(key.id)
    try {
      decodePublicMultikey(key.publicKeyMultibase)
    } catch (error) {
      throw new SignetKeyError(`key ${key.id}: ${(error as Error).message}`)
    }
    const method: VerificationMethod = {
      id: `${did}#${key.id}`,
      type: 'Multikey',
      controller: did,
      publicKeyMultibase: key.publicKeyMultibase,
    }
    if (key.revoked !== undefined) {
      try {
        method.revoked = toUtcSeconds(key.revoked)
      } catch (error) {
        throw new SignetKeyError(`key ${key.id}: revoked date ${(error as Error).message}`)
      }
    }
    return method
  })
  const document: DidDocument = {
    '@context': [...DID_CONTEXT],
    id: did,
    verificationMethod,
    assertionMethod: verificationMethod.filter((m) => m.revoked === undefined).map((m) => m.id),
  }
  if (profile.alsoKnownAs?.length) document.alsoKnownAs = [...profile.alsoKnownAs]
  if (profile.funding?.length) document.service = profile.funding.map((link, i) => ({ id: `${did}#funding-${i + 1}`, type: 'FundingLink', serviceEndpoint: link.url }))
  return document
}
