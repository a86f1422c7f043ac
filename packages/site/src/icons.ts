import { existsSync } from 'node:fs';
import path from 'node:path';
import type { SiteConfig } from '@signet/config';
import type { SiteUrls } from './urls.js';

/** The site's icon as pages link it (`<link rel="icon">`) and feeds name it. */
export interface SiteIcon {
  /** Site-relative, for pages. */
  path: string;
  /** Absolute, for feeds. */
  url: string;
  /** Its media type, when its extension says it. */
  type: string | undefined;
  /** What `<link rel="apple-touch-icon">` points at: `static/apple-touch-icon.png` when there, else the icon. */
  touch: string;
}

const TYPES: Record<string, string> = { '.svg': 'image/svg+xml', '.ico': 'image/x-icon', '.png': 'image/png', '.gif': 'image/gif', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp' };

/**
 * The config's `icon` (a path in the site), else `favicon.svg`, else `favicon.ico` in the static
 * folder, as most generators and browsers look for them. A few checks per build, none per page.
 */
export function siteIcon(config: SiteConfig, urls: SiteUrls): SiteIcon | undefined {
  const staticDir = path.resolve(config.root, config.dirs.static);
  const found = config.icon ?? ['favicon.svg', 'favicon.ico'].find((name) => existsSync(path.join(staticDir, name)));
  if (found === undefined) return undefined;
  const sitePath = found.replace(/^\/+/, '');
  const link = urls.link(sitePath);
  return {
    path: link,
    url: urls.absolute(sitePath),
    type: TYPES[path.extname(sitePath).toLowerCase()],
    touch: existsSync(path.join(staticDir, 'apple-touch-icon.png')) ? urls.link('apple-touch-icon.png') : link,
  };
}
