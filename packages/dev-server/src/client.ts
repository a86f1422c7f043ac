import { readFileSync } from 'node:fs';

/** Where the browser side of live reload lives; outside any base path so it never shadows a page. */
export const CLIENT_PATH = '/__signet/client.js';
export const EVENTS_PATH = '/__signet/events';
export const OVERLAY_ID = 'signet-error-overlay';

/** The tag added to every HTML page the dev server sends (never to the built files themselves). */
export function reloadTag(version: number): string {
  return `<script type="module" src="${CLIENT_PATH}?v=${version}"></script>`;
}

/** Adds the live-reload script before `</body>`, or at the end when a layout has no body tag. */
export function injectReloadScript(html: string, version: number): string {
  const tag = reloadTag(version);
  const at = html.toLowerCase().lastIndexOf('</body>');
  return at === -1 ? html + tag : html.slice(0, at) + tag + html.slice(at);
}

/**
 * The browser side (assets/client.js): read once, when the first page asks for it. A file of its
 * own, beside this package's dist/, because it runs in the browser: bundling the command line
 * rewrites Node's `import.meta.url` in the server's modules, and must never touch the browser's.
 */
export function clientScript(): string {
  script ??= readFileSync(new URL('../assets/client.js', import.meta.url), 'utf8');
  return script;
}
let script: string | undefined;
