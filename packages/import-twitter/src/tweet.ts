import { TwitterImportError } from './errors.js';

export interface UrlEntity { url: string; expanded: string; indices: [number, number] }
export interface MentionEntity { name: string; indices: [number, number] }
export interface HashtagEntity { text: string; indices: [number, number] }
/** `alt`: the description the author wrote for the image (`ext_alt_text`), or ''. */
export interface MediaEntity { url: string; expanded: string; mediaUrl: string; type: string; file: string; alt: string; indices: [number, number] }

/** The parts of an archived tweet a note is made from; everything else is dropped as it is read. */
export interface Tweet {
  id: string;
  date: Date;
  /** `full_text` as archived: still HTML-escaped. */
  text: string;
  urls: UrlEntity[];
  mentions: MentionEntity[];
  hashtags: HashtagEntity[];
  media: MediaEntity[];
  inReplyTo: string | undefined;
  inReplyToUser: string | undefined;
  inReplyToUserId: string | undefined;
  favorites: number;
  retweets: number;
  isRetweet: boolean;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const CREATED_AT = /^\w{3} (\w{3}) (\d{2}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2}) (\d{4})$/;

/** Parses `Wed Oct 10 20:19:24 +0000 2018`, the only date format archives use. */
export function parseCreatedAt(value: string): Date | undefined {
  const m = CREATED_AT.exec(value);
  if (!m) return undefined;
  const [, mon = '', d, h, mi, s, sign, oh, om, y] = m;
  const month = MONTHS.indexOf(mon);
  if (month < 0) return undefined;
  const offset = (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
  const ms = Date.UTC(Number(y), month, Number(d), Number(h), Number(mi), Number(s)) - offset * 60_000;
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const list = (v: unknown): Raw[] => (Array.isArray(v) ? v.filter(isObject) : []);
const count = (v: unknown): number => {
  const n = typeof v === 'number' ? v : Number.parseInt(String(v ?? '0'), 10);
  return Number.isSafeInteger(n) && n >= 0 ? n : 0;
};

function indices(v: unknown): [number, number] {
  if (Array.isArray(v) && v.length === 2) {
    const [a, b] = v.map((x) => Number(x));
    if (Number.isInteger(a) && Number.isInteger(b) && a !== undefined && b !== undefined && a <= b) return [a, b];
  }
  return [-1, -1];
}

/** The file name a media item has in `data/tweets_media/`, after the `<id>-` prefix. */
function mediaFileName(media: Raw): string {
  const variants = list(isObject(media.video_info) ? media.video_info.variants : undefined)
    .filter((v) => v.content_type === 'video/mp4' && str(v.url))
    .sort((a, b) => count(b.bitrate) - count(a.bitrate));
  const source = variants[0]?.url ?? media.media_url_https ?? media.media_url;
  const path = String(source ?? '').split('?')[0] ?? '';
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Turns one element of tweets.js (`{"tweet": {...}}`, or a bare tweet in old archives) into a Tweet. */
export function readTweet(element: unknown, where: string): Tweet {
  const raw = isObject(element) && isObject(element.tweet) ? element.tweet : element;
  if (!isObject(raw)) throw new TwitterImportError(`${where}: expected a tweet object.`);
  const id = str(raw.id_str) ?? (typeof raw.id === 'string' ? raw.id : undefined);
  if (!id || !/^\d+$/.test(id)) throw new TwitterImportError(`${where}: a tweet has no numeric \`id_str\`.`);
  const text = typeof raw.full_text === 'string' ? raw.full_text : typeof raw.text === 'string' ? raw.text : undefined;
  if (text === undefined) throw new TwitterImportError(`${where}: tweet ${id} has no \`full_text\`.`);
  const date = parseCreatedAt(String(raw.created_at ?? ''));
  if (!date) {
    throw new TwitterImportError(`${where}: tweet ${id} has an unreadable \`created_at\` ${JSON.stringify(raw.created_at)}.`);
  }
  const entities = isObject(raw.entities) ? raw.entities : {};
  const extended = isObject(raw.extended_entities) ? raw.extended_entities : entities;
  return {
    id,
    date,
    text,
    urls: list(entities.urls).map((u) => ({
      url: String(u.url ?? ''),
      expanded: String(u.expanded_url ?? u.url ?? ''),
      indices: indices(u.indices),
    })),
    mentions: list(entities.user_mentions)
      .filter((m) => str(m.screen_name))
      .map((m) => ({ name: String(m.screen_name), indices: indices(m.indices) })),
    hashtags: list(entities.hashtags)
      .filter((h) => str(h.text))
      .map((h) => ({ text: String(h.text), indices: indices(h.indices) })),
    media: list(extended.media).map((m) => ({
      url: String(m.url ?? ''),
      expanded: String(m.expanded_url ?? m.media_url_https ?? ''),
      mediaUrl: String(m.media_url_https ?? m.media_url ?? ''),
      type: String(m.type ?? 'photo'),
      file: mediaFileName(m),
      alt: typeof m.ext_alt_text === 'string' ? m.ext_alt_text : '',
      indices: indices(m.indices),
    })),
    inReplyTo: str(raw.in_reply_to_status_id_str),
    inReplyToUser: str(raw.in_reply_to_screen_name),
    inReplyToUserId: str(raw.in_reply_to_user_id_str),
    favorites: count(raw.favorite_count),
    retweets: count(raw.retweet_count),
    isRetweet: 'retweeted_status' in raw || /^RT @/.test(text),
  };
}
