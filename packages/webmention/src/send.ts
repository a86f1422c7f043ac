import { createHttpClient, userAgent, type HttpClient, type HttpOptions } from '@signet/network'
import { discoverEndpoint } from './discover.js'
import { readLedger, writeLedger, type Ledger, type TargetRecord } from './ledger.js'
import { builtPosts, type BuiltPost } from './posts.js'

/** One Webmention to send: why (a new or changed post, a link it dropped, a deleted post). */
export interface Job {
  source: string
  target: string
  why: 'new' | 'updated' | 'dropped' | 'deleted'
}

export interface JobOutcome extends Job {
  state: 'sent' | 'none' | 'failed' | 'planned'
  endpoint?: string
  status?: number
  reason?: string
}

export interface SendOptions extends Omit<HttpOptions, 'userAgent'> {
  /** The site folder: the ledger is `.signet/webmention/ledger.json` in it. */
  root: string
  /** The built site (`dist/`). */
  outDir: string
  /** The site's public URL (config `url`). */
  siteUrl: string
  /** List what would be sent; fetch nothing, send nothing, write nothing. */
  dryRun?: boolean
  now?: () => Date
  /** Called after each job, for a progress or result line. */
  onOutcome?: (outcome: JobOutcome) => void
  /** For tests: a client of one's own. */
  http?: HttpClient
}

export interface SendSummary {
  posts: number
  outcomes: JobOutcome[]
  sent: number
  none: number
  failed: number
  planned: number
  /** Posts found deleted in this run. */
  deleted: number
}

/**
 * Sends the Webmentions the built site owes, once per version of each post: a post not in the ledger,
 * or whose signed envelope changed, tells each target it links (and, when changed, each target it
 * linked before and dropped, so the receiver sees the link gone); a post the ledger knows that is gone
 * from the build tells every target it had told. A target whose fetch or endpoint failed is tried
 * again by the next run; one bad target or endpoint never stops the others. The ledger is written
 * after each post, so a killed run repeats at most that post's sends.
 */
export async function sendWebmentions(options: SendOptions): Promise<SendSummary> {
  const now = options.now ?? (() => new Date())
  const ledger = readLedger(options.root)
  const posts = builtPosts(options.outDir, options.siteUrl)
  const plan = planJobs(ledger, posts)
  const summary: SendSummary = { posts: posts.length, outcomes: [], sent: 0, none: 0, failed: 0, planned: 0, deleted: plan.deleted.length }
  const record = (o: JobOutcome): void => {
    summary.outcomes.push(o)
    summary[o.state] += 1
    options.onOutcome?.(o)
  }
  if (options.dryRun) {
    for (const group of plan.groups) for (const job of group.jobs) record({ ...job, state: 'planned' })
    return summary
  }
  const http = options.http ?? createHttpClient({ ...options, userAgent: userAgent(options.siteUrl) })
  try {
    for (const group of plan.groups) {
      const outcomes = await Promise.all(group.jobs.map((job) => sendOne(job, http)))
      const at = now().toISOString()
      const entry = ledger.posts[group.source] ?? { path: group.path, digest: group.digest, targets: {} }
      entry.path = group.path
      entry.digest = group.digest
      if (group.deleted) entry.deleted ??= at
      else delete entry.deleted
      for (const o of outcomes) {
        record(o)
        if (o.state === 'planned') continue
        const told = o.why === 'dropped' || o.why === 'deleted'
        // A link dropped or deleted whose target takes no mentions has nothing left to tell.
        if (told && o.state === 'none') {
          delete entry.targets[o.target]
          continue
        }
        const next: TargetRecord = { digest: group.digest, state: o.state, at }
        if (o.endpoint) next.endpoint = o.endpoint
        if (o.status !== undefined) next.status = o.status
        if (o.reason) next.reason = o.reason
        if (told) next.dropped = true
        entry.targets[o.target] = next
      }
      // Targets the post no longer links and that never took a mention are forgotten.
      for (const [target, t] of Object.entries(entry.targets)) if (t.state === 'none' && !group.current.has(target)) delete entry.targets[target]
      ledger.posts[group.source] = entry
      writeLedger(options.root, ledger)
    }
  } finally {
    if (!options.http) await http.close()
  }
  return summary
}

interface Group {
  source: string
  path: string
  digest: string
  deleted: boolean
  /** The targets the post links now. */
  current: Set<string>
  jobs: Job[]
}

/** What a run owes, post by post, from the ledger and the built posts. Pure: the dry run prints it. */
export function planJobs(ledger: Ledger, posts: readonly BuiltPost[]): { groups: Group[]; deleted: string[] } {
  const groups: Group[] = []
  const live = new Set(posts.map((p) => p.url))
  for (const post of posts) {
    const entry = ledger.posts[post.url]
    const current = new Set(post.targets)
    const jobs: Job[] = []
    for (const target of post.targets) {
      const t = entry?.targets[target]
      if (t && t.digest === post.digest && t.state !== 'failed' && !t.dropped) continue
      jobs.push({ source: post.url, target, why: t && (t.state === 'sent' || t.state === 'none') && !t.dropped ? 'updated' : 'new' })
    }
    for (const [target, t] of Object.entries(entry?.targets ?? {})) {
      // Told of a version that linked it, and not yet of one that does not (or that send failed).
      if (!current.has(target) && retell(t)) jobs.push({ source: post.url, target, why: 'dropped' })
    }
    if (jobs.length > 0 || (entry?.deleted !== undefined)) groups.push({ source: post.url, path: post.path, digest: post.digest, deleted: false, current, jobs })
  }
  const deleted: string[] = []
  for (const [source, entry] of Object.entries(ledger.posts)) {
    if (live.has(source)) continue
    const jobs: Job[] = Object.entries(entry.targets).filter(([, t]) => retell(t)).map(([target]) => ({ source, target, why: 'deleted' as const }))
    if (!entry.deleted) deleted.push(source)
    if (jobs.length > 0 || !entry.deleted) groups.push({ source, path: entry.path, digest: entry.digest, deleted: true, current: new Set(), jobs })
  }
  return { groups, deleted }
}

/** A target that took a mention and has not yet been told the link is gone (or whose telling failed). */
function retell(t: TargetRecord): boolean {
  return (t.state === 'sent' && !t.dropped) || (t.state === 'failed' && t.dropped === true)
}

/** Discovers the target's endpoint and posts `source` and `target` to it. Never throws. */
async function sendOne(job: Job, http: HttpClient): Promise<JobOutcome> {
  try {
    const found = await discoverEndpoint(job.target, http)
    if (found.endpoint === undefined) return { ...job, state: found.failed ? 'failed' : 'none', reason: found.reason }
    const answer = await http.postForm(found.endpoint, { source: job.source, target: job.target })
    if (!answer.ok) return { ...job, state: 'failed', endpoint: found.endpoint, reason: answer.reason }
    if (answer.status >= 200 && answer.status < 300) return { ...job, state: 'sent', endpoint: found.endpoint, status: answer.status }
    const said = answer.text.replace(/\s+/g, ' ').trim().slice(0, 200)
    return { ...job, state: 'failed', endpoint: found.endpoint, status: answer.status, reason: `${found.endpoint} answered HTTP ${answer.status}${said ? `: ${said}` : ''}` }
  } catch (error) {
    return { ...job, state: 'failed', reason: `${job.target}: ${(error as Error).message}` }
  }
}

