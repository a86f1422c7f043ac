import type { SiteConfig } from '@signet/config';
import type { Entry, Warning } from '@signet/content';
import type { RenderedMarkdown } from '@signet/markdown';
import type { Renderer } from '@signet/theme';
import type { EnvelopeItem } from '@signet/sign';
import { signForCache, type SignedForCache } from './envelope.js';
import { contentModule, markdown, theme } from './lazy.js';


export interface MarkdownJob {
  body: string;
  trustHtml: boolean;
  baseUrl: string;
  /** The entry's file, for error messages. */
  source: string;
}

/** A page from a layout: `data` is plain data (what layouts see), so it can cross to a worker. */
export interface LayoutJob {
  layout: string;
  data: object;
}

/** A post's envelope item to sign, with the key in the call's `JobSettings.signing`. */
export type SignJob = EnvelopeItem;

/** A content file to read into an entry: its absolute path. */
export type EntryJob = string;

export type JobKind = 'entry' | 'markdown' | 'layout' | 'sign';
export type JobOf<K extends JobKind> = K extends 'entry' ? EntryJob : K extends 'markdown' ? MarkdownJob : K extends 'sign' ? SignJob : LayoutJob;
export type ResultOf<K extends JobKind> = K extends 'entry' ? { entry: Entry; warnings: Warning[] } : K extends 'markdown' ? RenderedMarkdown : K extends 'sign' ? SignedForCache : string;

/** What every job of one call shares, sent once per call rather than with each job. */
export interface JobSettings {
  /** The site's layouts folder: a worker makes its own renderer from the same files. */
  layoutsDir?: string;
  /** The main thread's renderer's hash: a worker's renderer for another hash (layouts edited since) is not reused. */
  layoutsHash?: string;
  /**
   * The key for signing: its DID URL, its secret (which crosses to a worker in memory only, never to
   * disk or a log) and its identity for cache keys.
   */
  signing?: { verificationMethod: string; seed: Uint8Array; identity: string; pageJson: boolean };
  /** The site's config, for reading entries. */
  config?: SiteConfig;
}

/** Sent once to each worker when it starts. */
export interface WorkerInit {
  /** Int32 bumped by a worker each time it posts results, so the main thread can sleep until then. */
  flag: SharedArrayBuffer;
}

/** One call's jobs, sent to every worker helping with it. */
export interface WorkerBatch {
  batch: number;
  kind: JobKind;
  jobs: unknown[];
  settings: JobSettings;
  /** Int32 index of the next job to take, shared by every thread. */
  counter: SharedArrayBuffer;
}

/** Loads what the jobs of these kinds need, ahead of the jobs. */
export interface WorkerWarm {
  warm: JobKind[];
}

/** A worker's results: the batch, then job index and result pairs (`null`: failed, redo it). */
export type WorkerReply = [number, [number, unknown][]];

let renderer: { key: string; engine: Renderer } | undefined;

/** Does one job; the same function on the main thread and in workers, so either gives the same bytes. */
export function renderJob(kind: JobKind, job: unknown, settings: JobSettings, mainRenderer?: Renderer): unknown {
  if (kind === 'markdown') {
    const { body, trustHtml, baseUrl, source } = job as MarkdownJob;
    return markdown().renderMarkdown(body, { trustHtml, baseUrl, source });
  }
  if (kind === 'entry') return contentModule().readEntry(job as EntryJob, settings.config!);
  if (kind === 'sign') {
    const { verificationMethod, seed, identity, pageJson } = settings.signing!;
    return signForCache(job as SignJob, verificationMethod, seed, identity, pageJson);
  }
  const { layout, data } = job as LayoutJob;
  return (mainRenderer ?? workerRenderer(settings)).render(layout, data);
}

/** A worker keeps one renderer (its templates parsed once) while the layouts stay the same. */
function workerRenderer(settings: JobSettings): Renderer {
  const key = `${settings.layoutsDir ?? ''}\0${settings.layoutsHash ?? ''}`;
  if (renderer?.key !== key) renderer = { key, engine: theme().createRenderer(settings.layoutsDir) };
  return renderer.engine;
}

/** Loads the modules jobs of `kind` use, so that the first job does not wait for them. */
export function warmJob(kind: JobKind): void {
  if (kind === 'entry') contentModule();
  else if (kind === 'markdown') markdown();
  else if (kind === 'layout') theme();
}
