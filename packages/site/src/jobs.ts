import type { RenderedMarkdown } from '@signet/markdown';
import type { Renderer } from '@signet/theme';
import type { EnvelopeItem } from '@signet/sign';
import { signToJson } from './envelope.js';
import { lazy } from './lazy.js';

const markdown = lazy<typeof import('@signet/markdown')>('@signet/markdown');
const theme = lazy<typeof import('@signet/theme')>('@signet/theme');

export interface MarkdownJob {
  body: string;
  trustHtml: boolean;
  baseUrl: string;
}

/** A page from a layout: `data` is plain data (what layouts see), so it can cross to a worker. */
export interface LayoutJob {
  layout: string;
  data: object;
}

/** A post's envelope to sign. The seed crosses to a worker in memory only, never to disk or a log. */
export interface SignJob {
  item: EnvelopeItem;
  verificationMethod: string;
  seed: Uint8Array;
}

export type JobKind = 'markdown' | 'layout' | 'sign';
export type JobOf<K extends JobKind> = K extends 'markdown' ? MarkdownJob : K extends 'sign' ? SignJob : LayoutJob;
export type ResultOf<K extends JobKind> = K extends 'markdown' ? RenderedMarkdown : string;

export interface WorkerInput {
  kind: JobKind;
  jobs: unknown[];
  /** The site's layouts folder: a worker makes its own renderer from the same files. */
  layoutsDir: string | undefined;
  /** Int32 index of the next job to take, shared by every thread. */
  counter: SharedArrayBuffer;
  /** Int32 bumped by a worker each time it posts results, so the main thread can sleep until then. */
  flag: SharedArrayBuffer;
}

const renderers = new Map<string, Renderer>();

/** Does one job; the same function on the main thread and in workers, so either gives the same bytes. */
export function renderJob(kind: JobKind, job: unknown, layoutsDir: string | undefined, renderer?: Renderer): unknown {
  if (kind === 'markdown') {
    const { body, trustHtml, baseUrl } = job as MarkdownJob;
    return markdown().renderMarkdown(body, { trustHtml, baseUrl });
  }
  if (kind === 'sign') {
    const { item, verificationMethod, seed } = job as SignJob;
    return signToJson(item, verificationMethod, seed);
  }
  const { layout, data } = job as LayoutJob;
  let engine = renderer ?? renderers.get(layoutsDir ?? '');
  if (!engine) {
    engine = theme().createRenderer(layoutsDir);
    renderers.set(layoutsDir ?? '', engine);
  }
  return engine.render(layout, data);
}
