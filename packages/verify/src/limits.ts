// Input limits of the spec (§8.1): large enough for any real site, small enough that a
// hostile server or feed cannot exhaust a verifier.

/** Largest feed or page read. */
export const MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
/** Largest envelope JSON text (escaping can make it larger than its 1 MiB canonical form). */
export const MAX_ENVELOPE_TEXT_BYTES = 4 * 1024 * 1024
/** Deepest nesting of arrays and objects in envelope or DID document JSON. */
export const MAX_JSON_DEPTH = 32
/** Largest DID document. */
export const MAX_DID_DOCUMENT_BYTES = 256 * 1024
/** Most verification methods in one DID document. */
export const MAX_VERIFICATION_METHODS = 1000
/** Redirects followed (same host only) when fetching a DID document. */
export const MAX_REDIRECTS = 3
/** Default time for one request, body included. */
export const DEFAULT_TIMEOUT_MS = 10_000
/** How long a resolved DID document is reused. */
export const DID_CACHE_MS = 5 * 60 * 1000
