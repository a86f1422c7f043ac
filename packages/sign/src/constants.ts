/** The Data Integrity cryptosuite every Signet proof uses. */
export const CRYPTOSUITE = 'eddsa-jcs-2022'
/** Where the signed-posts specification lives; JSON Feed `_signed.about` points here. */
export const SPEC_URL = 'https://signet.dev/spec/signed-posts/v1'
/** XML namespace of the `<signet:envelope>` element in RSS and Atom. */
export const NAMESPACE_URI = 'https://signet.dev/ns/signed-posts/v1'
/** The prefix the namespace is declared with on the feed's root element. */
export const NAMESPACE_PREFIX = 'signet'
/** `@context` of the did:web document. */
export const DID_CONTEXT = ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1']
/** Largest envelope (UTF-8 bytes of its JCS form) a verifier is required to accept. */
export const MAX_ENVELOPE_BYTES = 1_048_576
