/** The Data Integrity cryptosuite every Signet proof uses. */
export const CRYPTOSUITE = 'eddsa-jcs-2022'
/** Names the signed-posts specification (docs/spec/signed-posts.md); JSON Feed `_signed.about` holds it. A name, not an address. */
export const SPEC_URL = 'urn:signet:spec:signed-posts:v1'
/** XML namespace of the `<signet:envelope>` element in RSS and Atom: a name, never fetched. */
export const NAMESPACE_URI = 'urn:signet:ns:signed-posts:v1'
/** The prefix the namespace is declared with on the feed's root element. */
export const NAMESPACE_PREFIX = 'signet'
/** `@context` of the did:web document. */
export const DID_CONTEXT = ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1']
/** Largest envelope (UTF-8 bytes of its JCS form) a verifier is required to accept. */
export const MAX_ENVELOPE_BYTES = 1_048_576
/** Names the funding extension (spec §4.4): JSON Feed `_funding.about` and the envelope's `_funding.about` hold it. */
export const FUNDING_ABOUT = 'urn:signet:spec:funding:v1'
