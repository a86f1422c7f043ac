import { createHash } from 'node:crypto'
import path from 'node:path'

/**
 * What `signet fetch` (or `signet reply`) learnt about a post one of the site's posts points at
 * (`in_reply_to` …): text only, and the target's envelope when it verified. The build reads it to
 * show "In reply to <title> on <site>" and to sign the reference, without touching the network.
 */
export interface TargetRecord {
  /** The URL as the post names it. */
  url: string
  /** Where it was read from, after redirects. */
  finalUrl?: string
  title?: string
  site?: { title: string; url: string }
  /** verified: the page carries an envelope that verified against its domain; failed: one that did not. */
  status: 'verified' | 'unsigned' | 'failed'
  reason?: string
  /** The signing domain, for verified targets. */
  domain?: string
  /** The verified envelope's id and digest: what the reply's own envelope records. */
  id?: string
  digestMultibase?: string
  /** The verified envelope's JSON text, unchanged. */
  envelope?: string
  fetched: string
}

/** `.signet/network/targets/<hash of the URL>.json`. */
export function targetFile(dir: string, url: string): string {
  return path.join(dir, 'targets', createHash('sha256').update(url).digest('hex').slice(0, 24) + '.json')
}
