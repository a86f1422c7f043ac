import { CRYPTOSUITE } from './constants.js'
import { multibaseDecode, multibaseEncode } from './base58.js'
import { nobleSha256, nobleSign, nobleVerify } from './ed25519.js'
import type { Ed25519Sign, Ed25519Verify, Sha256 } from './ed25519.js'
import { checkEnvelopeRules, isUtcSeconds } from './envelope.js'
import type { EnvelopeItem } from './envelope.js'
import { canonicalize } from './jcs.js'
import { requireLength } from './multikey.js'

export interface Proof {
  type: 'DataIntegrityProof'
  cryptosuite: 'eddsa-jcs-2022'
  created: string
  verificationMethod: string
  proofPurpose: 'assertionMethod'
  proofValue: string
  '@context'?: unknown
}

export type SignedEnvelope = EnvelopeItem & { proof: Proof }

export interface SignOptions {
  /** 32-byte Ed25519 secret key. */
  seed: Uint8Array
  /** DID URL of the key, e.g. did:web:example.com#key-2026-11. */
  verificationMethod: string
  /** UTC whole seconds ending in Z; taken from the content, not the clock, so output is reproducible. */
  created: string
  sign?: Ed25519Sign
  sha256?: Sha256
}

export interface VerifyOptions {
  verify?: Ed25519Verify
  sha256?: Sha256
}

const utf8 = new TextEncoder()
let scratch = new Uint8Array(1 << 16)

// Encodes into one reused buffer: a build hashes thousands of documents, and a fresh array each
// time is garbage the collector must then sweep. The view is only valid until the next call.
function utf8View(text: string): Uint8Array {
  // UTF-8 needs at most three bytes per UTF-16 code unit.
  if (scratch.length < text.length * 3) scratch = new Uint8Array(text.length * 3)
  const { written } = utf8.encodeInto(text, scratch)
  return scratch.subarray(0, written)
}

/** eddsa-jcs-2022 hashData: SHA-256(JCS(proof options)) followed by SHA-256(JCS(document)). */
export function hashData(document: object, proofOptions: object, sha256: Sha256 = nobleSha256): Uint8Array {
  const out = new Uint8Array(64)
  out.set(sha256(utf8View(canonicalize(proofOptions))), 0)
  out.set(sha256(utf8View(canonicalize(document))), 32)
  return out
}

/** Adds an eddsa-jcs-2022 DataIntegrityProof to `document` (W3C Data Integrity EdDSA §3.3). */
export function signDocument<T extends object>(document: T, options: SignOptions): T & { proof: Proof } {
  if ('proof' in document) throw new TypeError('signDocument: the document already has a proof; sign the document without it')
  requireLength(options.seed, 'Ed25519 secret key (seed)')
  if (!isUtcSeconds(options.created)) {
    throw new RangeError(`signDocument: created ${JSON.stringify(options.created)} must be a UTC date in whole seconds ending in Z`)
  }
  if (typeof options.verificationMethod !== 'string' || !options.verificationMethod.includes('#')) {
    throw new TypeError(`signDocument: verificationMethod ${JSON.stringify(options.verificationMethod)} must be a DID URL such as did:web:example.com#key-1`)
  }
  const context = (document as { '@context'?: unknown })['@context']
  const proofOptions: Omit<Proof, 'proofValue'> = {
    type: 'DataIntegrityProof',
    cryptosuite: CRYPTOSUITE,
    created: options.created,
    verificationMethod: options.verificationMethod,
    proofPurpose: 'assertionMethod',
    ...(context === undefined ? {} : { '@context': structuredClone(context) }),
  }
  const signature = (options.sign ?? nobleSign)(hashData(document, proofOptions, options.sha256), options.seed)
  // Object.assign rather than `{ ...document, proof }`, which V8 makes many times slower for a document this size.
  return Object.assign({}, document, { proof: Object.assign({}, proofOptions, { proofValue: multibaseEncode(signature) }) })
}

/** Signs a post envelope after checking its rules; throws listing every rule broken. */
export function signEnvelope(item: EnvelopeItem, options: SignOptions): SignedEnvelope {
  const problems = checkEnvelopeRules(item)
  if ('proof' in item) problems.unshift('The item already has a proof.')
  if (problems.length > 0) {
    throw new TypeError(`Cannot sign the post ${JSON.stringify(item.url ?? item.id)}:\n- ${problems.join('\n- ')}`)
  }
  return signDocument(item, options)
}

/**
 * True iff the document's eddsa-jcs-2022 proof is a valid signature by `publicKey`.
 * Only the cryptography: whether the key may sign for the document is the caller's policy.
 */
export function verifyDocumentProof(document: object & { proof: Proof }, publicKey: Uint8Array, options: VerifyOptions = {}): boolean {
  try {
    const { proof, ...unsecured } = document as { proof: unknown } & Record<string, unknown>
    if (typeof proof !== 'object' || proof === null || Array.isArray(proof)) return false
    const { proofValue, ...proofOptions } = proof as Record<string, unknown>
    if (proofOptions.type !== 'DataIntegrityProof' || proofOptions.cryptosuite !== CRYPTOSUITE) return false
    if (typeof proofValue !== 'string' || publicKey.length !== 32) return false
    const signature = multibaseDecode(proofValue)
    if (signature.length !== 64) return false
    if (proofOptions['@context'] !== undefined) {
      if (!contextStartsWith(unsecured['@context'], proofOptions['@context'])) return false
      unsecured['@context'] = proofOptions['@context']
    }
    const data = hashData(unsecured, proofOptions, options.sha256)
    return (options.verify ?? nobleVerify)(signature, data, publicKey)
  } catch {
    return false
  }
}

function contextStartsWith(documentContext: unknown, proofContext: unknown): boolean {
  const doc = Array.isArray(documentContext) ? documentContext : [documentContext]
  const pre = Array.isArray(proofContext) ? proofContext : [proofContext]
  return pre.length <= doc.length && pre.every((entry, i) => canonicalize(entry) === canonicalize(doc[i]))
}
