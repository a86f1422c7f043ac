import type { Ed25519Verify, Sha256 } from '@signet/sign'
import type { DidResolver } from './resolver.js'

/** The eight results of the signed-posts spec (§8.4). */
export type Status =
  | 'verified'
  | 'unsigned'
  | 'bad signature'
  | 'unknown key'
  | 'revoked key'
  | 'domain mismatch'
  | 'shown differently from signed'
  | 'malformed'

export const STATUSES: readonly Status[] = [
  'verified', 'unsigned', 'bad signature', 'unknown key', 'revoked key', 'domain mismatch', 'shown differently from signed', 'malformed',
]

/** One sentence per status, for people. `reasons` in a result say what exactly was found. */
export const STATUS_SENTENCES: Record<Status, string> = {
  verified: 'Signed by the domain\'s key and unchanged since.',
  unsigned: 'This post carries no signature.',
  'bad signature': 'The signature does not match: the post was changed after it was signed, or signed with another key.',
  'unknown key': 'The domain does not list the key that signed this post as one it uses, or its key document could not be read.',
  'revoked key': 'The key that signed this post was revoked before the post was signed or first seen.',
  'domain mismatch': 'The post claims a domain other than the one whose key signed it or where it was found.',
  'shown differently from signed': 'The signature is valid, but what is shown here differs from what was signed.',
  malformed: 'The signature data is broken or breaks the signing rules, so it cannot be checked.',
}

export interface VerifyResult {
  status: Status
  /** The human sentence for `status`. */
  sentence: string
  /** Host named by the signing key's did:web (e.g. `example.com`), when the envelope got that far. */
  domain?: string
  /** The proof's verificationMethod, e.g. `did:web:example.com#key-2026-11`. */
  keyId?: string
  /** The proof's `created` date, worth showing to people (spec §8.5). */
  created?: string
  /** The envelope's `url`, when it could be read. */
  url?: string
  /** Where the key document came from (a URL, or the copy given in `didDocuments`), once it was read. */
  keySource?: string
  /** What exactly was found: one sentence each. */
  reasons: string[]
}

export interface VerifyOptions {
  /** `fetch` to use; defaults to the global one. */
  fetch?: typeof globalThis.fetch
  /** A resolver to share (and cache) between calls; made from these options when absent. */
  resolver?: DidResolver
  /** Milliseconds for one HTTP request, body included. Default 10,000. */
  timeoutMs?: number
  /** Resolve did:web over http: for localhost and loopback hosts (development only, spec §3.2). */
  allowHttpLoopback?: boolean
  /** Fetch DID documents from private and link-local addresses (refused by default, spec §3.2). */
  allowPrivateAddresses?: boolean
  /** DID documents to use instead of the network: DID → JSON text. */
  didDocuments?: Record<string, string>
  /** How to name those documents in results (e.g. "dist/.well-known/did.json, not fetched from …"). */
  didDocumentSource?: string
  /** Called with each validly signed envelope and its item's final result (`signet verify` compares copies across a folder). */
  onEnvelope?: (envelope: SignedEnvelopeSeen, result: VerifyResult) => void
  /** Where the document being checked was read from; its host must be the signer's (spec §8.3 step 4). */
  sourceUrl?: string
  /** The host the caller expects the posts to be from (e.g. `signet verify --domain`). */
  expectedDomain?: string
  /** When this verifier first saw a post (by envelope `id`), to catch backdating (spec §8.5). */
  firstSeen?: (id: string) => string | undefined
  /** Ed25519 and SHA-256 implementations (default: @noble, which runs anywhere). */
  ed25519Verify?: Ed25519Verify
  sha256?: Sha256
}

/** A well-formed envelope whose signature verified. */
export interface SignedEnvelopeSeen {
  id: string
  url: string
  proof: { created: string; proofValue: string; verificationMethod: string }
}

export function result(status: Status, reasons: string[], extra: Partial<VerifyResult> = {}): VerifyResult {
  return { status, sentence: STATUS_SENTENCES[status], ...extra, reasons }
}
