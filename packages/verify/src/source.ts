import { fetchLimited } from './fetch-limited.js'
import { MAX_DOCUMENT_BYTES } from './limits.js'
import type { VerifyOptions } from './types.js'

/** A feed or page could not be read at all (as opposed to an item that fails verification). */
export class VerifyInputError extends Error {}

export interface Source {
  text: string
  /** Where the text came from, when it was fetched or given as `options.sourceUrl`. */
  url?: string
}

const URL_ONLY = /^https?:\/\/[^\s<>"{}]+$/i

/** `urlOrText` is fetched when it is a lone http(s) URL, and taken as the document otherwise. */
export async function readSource(urlOrText: string, options: VerifyOptions): Promise<Source> {
  if (!URL_ONLY.test(urlOrText.trim())) {
    const bytes = new TextEncoder().encode(urlOrText).length
    if (bytes > MAX_DOCUMENT_BYTES) throw new VerifyInputError(`the document is ${bytes} bytes; the limit is ${MAX_DOCUMENT_BYTES}`)
    return options.sourceUrl === undefined ? { text: urlOrText } : { text: urlOrText, url: options.sourceUrl }
  }
  const fetched = await fetchLimited(urlOrText.trim(), {
    fetch: options.fetch,
    timeoutMs: options.timeoutMs,
    maxBytes: MAX_DOCUMENT_BYTES,
    maxRedirects: 5,
  })
  if (!fetched.ok) throw new VerifyInputError(fetched.reason)
  return { text: fetched.text, url: fetched.url }
}
