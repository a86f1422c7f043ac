import { escapeInline, escapeText, keepLineBreaks, linkDestination } from './escape.js';
import type { Tweet } from './tweet.js';

export interface RenderContext {
  /** The note a tweet of this archive is published in, if it is. */
  noteOf: (tweetId: string) => string | undefined;
  /** Media of this tweet whose files are copied beside the note, by their t.co URL. */
  copiedMedia: (tweet: Tweet) => { file: string; type: string; alt?: string }[];
  /** Lower-cased account name, dropped from the start of tweets that continue a thread. */
  ownName: string | undefined;
}

interface Span {
  start: number;
  end: number;
  /** Markdown to put in place of the span; `undefined` removes it. Plain text is escaped later. */
  markdown?: string;
  text?: string;
}

const STATUS_URL = /^https?:\/\/(?:www\.|mobile\.)?(?:twitter|x)\.com\/(?:[A-Za-z0-9_]+|i\/web|i)\/status(?:es)?\/(\d+)/i;

/** The tweet text, unescaped, with entities turned into Markdown links, and any media shown below it. */
export function renderTweet(tweet: Tweet, context: RenderContext): string {
  const { chars, map } = unescapeHtml(Array.from(tweet.text));
  const spans: Span[] = [];
  const locate = (indices: [number, number], token: string, search: boolean): [number, number] | undefined => {
    const matches = ([a, b]: [number, number]): boolean =>
      a >= 0 && b <= chars.length && sameToken(chars.slice(a, b).join(''), token);
    const [a, b] = indices;
    // Archives count indices on the escaped text; accept unescaped counting as well.
    const mapped: [number, number] = [map[a] ?? -1, map[b] ?? -1];
    if (matches(mapped)) return mapped;
    if (matches(indices)) return indices;
    if (!search) return undefined;
    const joined = chars.join('');
    const at = joined.indexOf(token);
    if (at < 0) return undefined;
    const start = Array.from(joined.slice(0, at)).length;
    return [start, start + Array.from(token).length];
  };

  const copied = new Map(context.copiedMedia(tweet).map((m) => [m.file, m]));
  const removedMedia = new Set<string>();
  for (const media of tweet.media) {
    if (copied.size > 0 && !removedMedia.has(media.url)) {
      removedMedia.add(media.url);
      const at = locate(media.indices, media.url, true);
      if (at) spans.push({ start: at[0], end: at[1] });
    }
  }
  if (copied.size === 0) {
    const first = tweet.media[0];
    const at = first && locate(first.indices, first.url, true);
    if (first && at) spans.push({ start: at[0], end: at[1], markdown: link(first.expanded, first.expanded) });
  }
  for (const url of tweet.urls) {
    const at = locate(url.indices, url.url, true);
    if (!at) continue;
    const own = STATUS_URL.exec(url.expanded)?.[1];
    const note = own === undefined ? undefined : context.noteOf(own);
    spans.push({ start: at[0], end: at[1], markdown: note ? link(url.expanded, `../${note}/`) : link(url.expanded, url.expanded) });
  }
  for (const mention of tweet.mentions) {
    const at = locate(mention.indices, `@${mention.name}`, false);
    if (at) spans.push({ start: at[0], end: at[1], markdown: `[@${escapeInline(mention.name)}](https://twitter.com/${mention.name})` });
  }
  for (const tag of tweet.hashtags) {
    const at = locate(tag.indices, `#${tag.text}`, false);
    if (at) spans.push({ start: at[0], end: at[1], text: chars.slice(at[0], at[1]).join('') });
  }

  let from = 0;
  if (context.ownName) {
    const lead = leadingMentions(context.ownName).exec(chars.slice(0, 200).join(''));
    if (lead) from = Array.from(lead[0]).length;
  }
  spans.sort((x, y) => x.start - y.start);
  let out = '';
  let atLineStart = true;
  const plain = (text: string): void => {
    const escaped = escapeText(text, atLineStart);
    out += escaped.markdown;
    atLineStart = escaped.atLineStart;
  };
  let cursor = from;
  for (const span of spans) {
    if (span.start < cursor) continue; // overlapping or cut entity
    plain(chars.slice(cursor, span.start).join(''));
    if (span.text !== undefined) plain(span.text);
    else if (span.markdown !== undefined) {
      out += span.markdown;
      atLineStart = false;
    }
    cursor = span.end;
  }
  plain(chars.slice(cursor).join(''));

  const blocks = [keepLineBreaks(out)];
  const shown = [...copied.values()].map((m) =>
    // The author's description of the image (Twitter's `ext_alt_text`) is its alt text.
    m.type === 'photo'
      ? `![${escapeInline(m.alt ?? '')}](${linkDestination(m.file)})`
      : `[${m.alt ? escapeInline(m.alt) : m.type === 'video' ? 'Video' : 'Animated GIF'}](${linkDestination(m.file)})`,
  );
  if (shown.length > 0) blocks.push(shown.join('\n\n'));
  return blocks.filter((b) => b !== '').join('\n\n');
}

const leadPatterns = new Map<string, RegExp>();
/** `@name @name ` at the start of a tweet: how replies to oneself begin. */
function leadingMentions(name: string): RegExp {
  let pattern = leadPatterns.get(name);
  if (!pattern) leadPatterns.set(name, (pattern = new RegExp(`^(?:[@＠]${name}\\s+)+`, 'i')));
  return pattern;
}

function link(url: string, destination: string): string {
  const text = url.replace(/^https?:\/\/(?:www\.)?/i, '').replace(/\/$/, '');
  return `[${escapeInline(text || url)}](${linkDestination(destination)})`;
}

function sameToken(found: string, token: string): boolean {
  const norm = (s: string): string => s.replace(/^[＠]/, '@').replace(/^[＃]/, '#').toLowerCase();
  return norm(found) === norm(token);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>' };

/** Undoes Twitter's HTML escaping, keeping a map from escaped code point positions to unescaped ones. */
function unescapeHtml(escaped: string[]): { chars: string[]; map: number[] } {
  const chars: string[] = [];
  const map: number[] = [];
  for (let i = 0; i < escaped.length; i++) {
    map[i] = chars.length;
    if (escaped[i] === '&') {
      const name = ['amp', 'lt', 'gt'].find((n) => escaped.slice(i + 1, i + 2 + n.length).join('') === `${n};`);
      if (name) {
        chars.push(ENTITIES[name] ?? '');
        for (let k = 1; k <= name.length + 1; k++) map[i + k] = chars.length;
        i += name.length + 1;
        continue;
      }
    }
    chars.push(escaped[i] ?? '');
  }
  map[escaped.length] = chars.length;
  return { chars, map };
}
