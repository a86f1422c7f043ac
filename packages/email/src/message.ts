import { createHash } from 'node:crypto';
import path from 'node:path';
import { compile, type DomNode } from 'html-to-text';
import juice from 'juice';
import type Mail from 'nodemailer/lib/mailer/index.js';
import { SignetError, type EmailConfig, type SiteConfig } from '@signet/config';
import { formatDate } from '@signet/site';
import type { EnvelopeItem } from '@signet/sign';
import { createRenderer, type Renderer } from '@signet/theme';
import { fillIn, themeStrings } from '@signet/theme/strings';
import { normalizeAddress } from './address.js';
import type { EmailPost } from './posts.js';
import type { Subscriber } from './subscribers.js';
import { unsubscribeUrl } from './unsubscribe.js';

export type EmailSiteConfig = SiteConfig & { email: EmailConfig };

/** What every letter of one run shares: the site, its layouts, the list's id and the secrets it needs. */
export interface LetterSettings {
  config: EmailSiteConfig;
  renderer: Renderer;
  /** RFC 2919 list id, `posts.<from domain>`. */
  listId: string;
  /** Keys the one-click unsubscribe tokens; required when the config names an endpoint. */
  unsubscribeSecret: string | undefined;
  /** nodemailer's DKIM options, when a key is in the environment. */
  dkim: { domainName: string; keySelector: string; privateKey: string; headerFieldNames: string } | undefined;
}

// Headers the DKIM signature covers: the ones a reader sees, and both List headers, as RFC 8058 asks.
const SIGNED_HEADERS = 'From:To:Subject:Date:Message-ID:MIME-Version:Content-Type:List-Id:List-Unsubscribe:List-Unsubscribe-Post';

/** The config's `email` group, or an error saying how to add one. */
export function emailConfig(config: SiteConfig): EmailSiteConfig {
  if (!config.email) {
    throw new SignetError('the config has no `email` group', {
      file: config.file ? path.basename(config.file) : 'signet.config.yaml',
      hint: 'Add `email:` with `from: "Your Name <letters@your.domain>"` to signet.config.yaml.',
    });
  }
  return config as EmailSiteConfig;
}

/** Reads the secrets from the environment (never from a file in the site) and the layouts. */
export function letterSettings(config: SiteConfig, env: Record<string, string | undefined>): LetterSettings {
  const site = emailConfig(config);
  const secret = env.SIGNET_UNSUBSCRIBE_SECRET || undefined;
  if (site.email.unsubscribeUrl && !secret) {
    throw new SignetError('`email.unsubscribeUrl` is set but SIGNET_UNSUBSCRIBE_SECRET is not', {
      hint: 'Set SIGNET_UNSUBSCRIBE_SECRET to a long random string (the same one your unsubscribe endpoint checks tokens with).',
    });
  }
  const key = env.SIGNET_DKIM_PRIVATE_KEY?.replace(/\\n/g, '\n').trim();
  const selector = env.SIGNET_DKIM_SELECTOR || site.email.dkimSelector;
  if (key && !selector) {
    throw new SignetError('SIGNET_DKIM_PRIVATE_KEY is set but no DKIM selector is', { hint: 'Add `dkimSelector: …` under `email:` in the config (the name of the TXT record <selector>._domainkey.<domain>).' });
  }
  if (key && !key.includes('PRIVATE KEY-----')) {
    throw new SignetError('SIGNET_DKIM_PRIVATE_KEY is not a PEM private key', { hint: 'Paste the whole key, from -----BEGIN PRIVATE KEY----- to its END line.' });
  }
  return {
    config: site,
    renderer: createRenderer(path.join(site.root, site.dirs.layouts)),
    listId: `posts.${site.email.domain}`,
    unsubscribeSecret: secret,
    dkim: key && selector ? { domainName: site.email.domain, keySelector: selector, privateKey: key, headerFieldNames: SIGNED_HEADERS } : undefined,
  };
}

/** One post as a letter, before it is addressed: rendered, inlined and turned into text once. */
export interface Letter {
  post: EmailPost;
  subject: string;
  html: string;
  text: string;
}

// Stands for each reader's own unsubscribe link until the letter is addressed (one render per post).
const UNSUBSCRIBE_SLOT = 'https://unsubscribe.invalid/signet-slot';

export function prepareLetter(settings: LetterSettings, post: EmailPost, item: EnvelopeItem): Letter {
  const { config } = settings;
  const date = post.entry.date ? formatDate(post.entry.date, config.language) : '';
  const author = item.authors?.[0]?.name ?? config.author.name;
  const members = post.entry.audience === 'members';
  const page = { title: item.title, content: item.content_html ?? '', url: post.url, date: item.date_published, dateText: date, author, members, summary: item.summary };
  // The theme's words in the site's language, with the config's `strings:` over them, as on its pages.
  const strings = themeStrings(config.language, config.strings);
  const membersNote = fillIn(strings.emailMembers, { title: config.title });
  const layout = settings.renderer.render('email', {
    site: { title: config.title, url: config.url, language: config.language, description: config.description, author: config.author, strings },
    page,
    email: { unsubscribe: UNSUBSCRIBE_SLOT, members: membersNote },
  });
  // No remote resource is fetched: juice only moves the <style> rules into style attributes.
  // No height attributes from the styles: `img { height: auto }` would replace each image's own height
  // (which reserves its space while it loads) with the invalid height="auto".
  const html = juice(layout, { removeStyleTags: true, preserveMediaQueries: true, applyWidthAttributes: true, applyHeightAttributes: false, applyAttributesTableElements: true });
  const body = toText(item.content_html ?? '');
  const footer = [
    members ? membersNote : `${strings.emailReadOnWeb}\n${post.url}`,
    `${strings.unsubscribe}: ${UNSUBSCRIBE_SLOT}`,
  ];
  const head = [item.title, [date, author].filter(Boolean).join(' · ')].filter(Boolean).join('\n');
  const text = `${[head, body, `-- \n${footer.join('\n\n')}`].filter((part) => part.trim() !== '').join('\n\n').trimStart()}\n`;
  return { post, subject: subjectOf(item, body, fillIn(strings.emailNoteFrom, { title: config.title })), html, text };
}

function subjectOf(item: EnvelopeItem, text: string, fallback: string): string {
  const one = (value: string) => value.replace(/\s+/g, ' ').trim();
  if (item.title) return one(item.title);
  if (item.summary) return one(item.summary);
  const words = one(text.replace(/\[\d+\]/g, ''));
  return words.length > 70 ? `${words.slice(0, 69).trimEnd()}…` : words || fallback;
}

/** The message for one reader: nodemailer options with every header the lists and inboxes ask for. */
export function addressLetter(settings: LetterSettings, letter: Letter, to: Subscriber, now: Date): Mail.Options {
  const { email, title } = settings.config;
  const mailto = `mailto:${email.unsubscribeMailto ?? email.address}?subject=unsubscribe`;
  const https = email.unsubscribeUrl && settings.unsubscribeSecret ? unsubscribeUrl(email.unsubscribeUrl, settings.unsubscribeSecret, settings.listId, to.address) : undefined;
  const visible = https ?? mailto;
  const headers: Mail.Headers = {
    'List-Id': `${title.replace(/[\r\n"<>\\]+/g, ' ').trim()} <${settings.listId}>`,
    // Written as prepared: nodemailer would fold this long header, which breaks DKIM at some receivers.
    'List-Unsubscribe': { prepared: true, value: https ? `<${mailto}>, <${https}>` : `<${mailto}>` },
  };
  if (https) headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  return {
    from: email.from,
    to: to.name ? { name: to.name, address: to.address } : to.address,
    subject: letter.subject,
    date: now,
    messageId: messageId(letter.post.id, to.address, email.domain),
    headers,
    text: letter.text.replaceAll(UNSUBSCRIBE_SLOT, visible),
    html: letter.html.replaceAll(UNSUBSCRIBE_SLOT, visible.replaceAll('&', '&amp;')),
  };
}

/** The same for every send of one post to one reader, so a resend threads with the first and a receiver can drop a duplicate. */
export function messageId(postId: string, address: string, domain: string): string {
  return `<${createHash('sha256').update(`${postId}\n${normalizeAddress(address)}`).digest('hex').slice(0, 40)}@${domain}>`;
}

// Links become numbered references listed after the text; images say what they show.
let references: string[] = [];
const convert = compile({
  wordwrap: 78,
  formatters: {
    reference: (elem: DomNode, walk, builder) => {
      walk(elem.children as DomNode[], builder);
      const href = (elem.attribs as Record<string, string> | undefined)?.href;
      if (!href || href.startsWith('#')) return;
      let index = references.indexOf(href);
      if (index < 0) index = references.push(href) - 1;
      builder.addInline(` [${index + 1}]`);
    },
    picture: (elem: DomNode, _walk, builder) => {
      const alt = (elem.attribs as Record<string, string> | undefined)?.alt?.trim();
      if (alt) builder.addInline(`[image: ${alt}]`);
    },
  },
  selectors: [
    { selector: 'a.anchor', format: 'skip' },
    { selector: 'a', format: 'reference' },
    { selector: 'img', format: 'picture' },
    ...(['h1', 'h2', 'h3', 'h4', 'h5', 'h6'] as const).map((selector) => ({ selector, options: { uppercase: false } })),
    { selector: 'table', format: 'dataTable' },
  ],
});

/** A post's HTML as plain text a person can read, its links numbered at the end. */
export function toText(html: string): string {
  references = [];
  const body = convert(html).trim();
  const list = references.map((href, i) => `[${i + 1}] ${href}`);
  references = [];
  return list.length > 0 ? `${body}\n\nLinks:\n${list.join('\n')}` : body;
}
