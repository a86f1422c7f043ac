import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { FundingLink, FundingManifestConfig } from './schema.js';

/** What `validateConfig` lends these groups: failing at a key with a fix. */
export interface SupportChecks {
  fail(path: string[], message: string, hint: string): never;
}

export const AUTHOR_KEYS = ['name', 'url', 'avatar', 'bio', 'me'];
export const FUNDING_MANIFEST_KEYS = ['email', 'type', 'description'];

/** The longest label `<podcast:funding>` may carry. */
export const MAX_FUNDING_LABEL = 128;

const LIGHTNING_ADDRESS = /^[a-z0-9._-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$/;

/**
 * Why a payment URL is refused, or undefined when it is fine: https only (a link someone pays through
 * must not be swappable on the way), or `lightning:` with a LUD-16 address.
 */
export function paymentUrlProblem(value: string): string | undefined {
  if (value.startsWith('lightning:')) return LIGHTNING_ADDRESS.test(value.slice(10)) ? undefined : `"${value}" is not a lightning address (lightning:name@domain)`;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    return `"${value}" is not an absolute URL`;
  }
  if (parsed.protocol === 'http:') return `"${value}" is http: a payment link must be https, or anyone on the way can swap it`;
  if (parsed.protocol !== 'https:') return `"${value}" must be an https:// URL`;
  return undefined;
}

/** A list of `{ label, url }` (the config's `funding:` or a post's), checked. `where` names the key in messages. */
export function fundingLinks(value: unknown, where: string, fail: (index: number | undefined, key: string | undefined, message: string, hint: string) => never): FundingLink[] {
  if (!Array.isArray(value)) fail(undefined, undefined, `\`${where}\` must be a list of \`{ label, url }\``, `For example \`${where}: [{ label: Ko-fi, url: "https://ko-fi.com/you" }]\`.`);
  return value.map((item: unknown, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) fail(i, undefined, `\`${where}[${i}]\` must be \`{ label, url }\``, 'Give each link a label (what readers see) and its https URL.');
    const record = item as Record<string, unknown>;
    for (const key of Object.keys(record)) if (key !== 'label' && key !== 'url') fail(i, key, `unknown key \`${key}\` in \`${where}[${i}]\``, 'A funding link has only `label` and `url`.');
    const { label, url } = record;
    if (typeof label !== 'string' || label.trim() === '') fail(i, 'label', `\`${where}[${i}].label\` must be text`, 'The name readers see, such as "Ko-fi".');
    if (label.length > MAX_FUNDING_LABEL) fail(i, 'label', `\`${where}[${i}].label\` is ${label.length} characters; at most ${MAX_FUNDING_LABEL}`, 'Feeds carry it in <podcast:funding>, which allows 128.');
    if (typeof url !== 'string') fail(i, 'url', `\`${where}[${i}].url\` must be an https URL`, 'For example `url: "https://ko-fi.com/you"`.');
    const problem = paymentUrlProblem(url.trim());
    if (problem) fail(i, 'url', `\`${where}[${i}].url\`: ${problem}`, 'Write the https:// address your payment page has.');
    return { label: label.trim().normalize('NFC'), url: url.trim().startsWith('lightning:') ? url.trim() : new URL(url.trim()).href };
  });
}

/** `name@domain` (LUD-16) as the funding link readers get. */
export function lightningLink(value: unknown, check: SupportChecks): FundingLink {
  if (typeof value !== 'string' || !LIGHTNING_ADDRESS.test(value.trim())) {
    check.fail(['lightning'], `\`lightning\` must be a lightning address such as name@getalby.com, not ${JSON.stringify(value)}`, 'Write the address your wallet gives (LUD-16), without "lightning:".');
  }
  return { label: 'Lightning', url: `lightning:${value.trim()}` };
}

/**
 * `monetization:` is an Open Payments wallet address (https). The older `$host/path` payment pointer
 * is the same address written short: converted, with a warning saying what to write instead.
 */
export function monetizationAddress(value: unknown, check: SupportChecks): { url: string; warning?: string } {
  if (typeof value !== 'string') check.fail(['monetization'], '`monetization` must be a wallet address', 'For example `monetization: https://ilp.example/wren`.');
  const written = value.trim();
  if (written.startsWith('$')) {
    const rest = written.slice(1);
    const url = `https://${rest.includes('/') ? rest : `${rest}/.well-known/pay`}`;
    if (paymentUrlProblem(url)) check.fail(['monetization'], `\`monetization\` ${JSON.stringify(written)} is not a payment pointer`, 'Write the wallet address, for example `monetization: https://ilp.example/wren`.');
    return { url: new URL(url).href, warning: `\`monetization\` ${written} is a payment pointer, the old form; it is published as the wallet address ${new URL(url).href}. Write \`monetization: ${new URL(url).href}\`` };
  }
  const problem = paymentUrlProblem(written);
  if (problem || written.startsWith('lightning:')) check.fail(['monetization'], `\`monetization\`: ${problem ?? `"${written}" must be an https:// wallet address`}`, 'Web Monetization takes an Open Payments wallet address such as https://ilp.example/wren.');
  return { url: new URL(written).href };
}

/** `author.avatar`: a file in the static or content folder, published at its path there. */
export function avatarPath(value: unknown, root: string, folders: string[], check: SupportChecks): string {
  if (typeof value !== 'string' || value.trim() === '') check.fail(['author', 'avatar'], '`author.avatar` must be the path of an image file', 'For example `avatar: static/avatar.png`.');
  const file = path.resolve(root, value.trim());
  for (const folder of folders) {
    const inside = path.relative(path.resolve(root, folder), file);
    if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) continue;
    if (!existsSync(file) || !statSync(file).isFile()) check.fail(['author', 'avatar'], `\`author.avatar\` names ${value}, which is not a file`, 'Put the image in static/ and give its path, for example `avatar: static/avatar.png`.');
    // Its metadata (a photo's place, its camera) is removed when it is published, as every image's is.
    return inside.split(path.sep).join('/');
  }
  return check.fail(['author', 'avatar'], `\`author.avatar\` must be in ${folders.join('/ or ')}/, which are published, not "${value}"`, 'Put the image in static/, for example `avatar: static/avatar.png`.');
}

/** `author.me`: the accounts and sites that are the same person, for `rel="me"` and `alsoKnownAs`. */
export function meLinks(value: unknown, check: SupportChecks): string[] {
  if (!Array.isArray(value)) check.fail(['author', 'me'], '`author.me` must be a list of URLs', 'For example `me: [https://social.example/@wren, https://github.com/wren]`.');
  return value.map((item: unknown) => {
    let url: URL | undefined;
    try {
      url = typeof item === 'string' ? new URL(item.trim()) : undefined;
    } catch {
      url = undefined;
    }
    // A Bluesky handle is a domain: written bare, it is that domain's https address.
    if (!url && typeof item === 'string' && /^@?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$/.test(item.trim())) url = new URL(`https://${item.trim().replace(/^@/, '')}/`);
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) check.fail(['author', 'me'], `\`author.me\` holds ${JSON.stringify(item)}, which is not a web address`, 'Give each account as its https:// address.');
    return url.href;
  });
}

/** `fundingManifest:` opts in to /funding.json; its contact email is what the author wrote, never guessed. */
export function fundingManifest(value: Record<string, unknown>, check: SupportChecks): FundingManifestConfig {
  const { email, type, description } = value;
  if (typeof email !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(email.trim())) {
    check.fail(['fundingManifest', 'email'], '`fundingManifest.email` is required: funding.json needs a contact address', 'Give an address you are happy to publish (a pen name\'s own mailbox), for example `email: letters@your.domain`.');
  }
  const types = ['individual', 'group', 'organisation', 'other'];
  if (type !== undefined && (typeof type !== 'string' || !types.includes(type))) check.fail(['fundingManifest', 'type'], `\`fundingManifest.type\` must be one of ${types.join(', ')}`, 'Most sites are `individual`.');
  if (description !== undefined && typeof description !== 'string') check.fail(['fundingManifest', 'description'], '`fundingManifest.description` must be text', 'A sentence about what support pays for.');
  return { email: email.trim(), type: (type as FundingManifestConfig['type']) ?? 'individual', ...(description ? { description: (description as string).normalize('NFC') } : {}) };
}

