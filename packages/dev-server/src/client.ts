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
 * The browser side: listens for build events, reloads after a good rebuild, swaps stylesheets when
 * only CSS changed, and shows build errors in an overlay until the next good build. The page's build
 * version rides on the script URL, so a page that loaded just before a rebuild still catches up.
 */
export const CLIENT_SCRIPT = `
const version = Number(new URL(import.meta.url).searchParams.get('v'));
let current = version;
const events = new EventSource(${JSON.stringify(EVENTS_PATH)});
const overlayId = ${JSON.stringify(OVERLAY_ID)};

function hideOverlay() {
  document.getElementById(overlayId)?.remove();
}

function showOverlay(error) {
  hideOverlay();
  const box = document.createElement('div');
  box.id = overlayId;
  box.setAttribute('role', 'alert');
  box.style.cssText = 'position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;' +
    'background:rgba(20,20,20,.94);color:#f5f5f5;font:15px/1.5 ui-monospace,monospace;white-space:pre-wrap';
  const title = document.createElement('strong');
  title.style.cssText = 'display:block;color:#ff8a80;font-size:1.1em;margin-bottom:1rem';
  title.textContent = 'Build failed: the last good version of the site is still being served.';
  const where = document.createElement('div');
  where.className = 'signet-error-location';
  where.style.cssText = 'color:#ffd54f';
  where.textContent = error.location || '';
  const message = document.createElement('div');
  message.className = 'signet-error-message';
  message.textContent = error.message;
  const hint = document.createElement('div');
  hint.style.cssText = 'margin-top:1rem;color:#b0bec5';
  hint.textContent = error.hint || '';
  box.append(title, where, message, hint);
  document.body.append(box);
}

function swapStylesheets(paths) {
  const wanted = new Set(paths);
  let swapped = 0;
  for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
    const url = new URL(link.href, location.href);
    if (url.origin !== location.origin || !wanted.has(url.pathname)) continue;
    url.searchParams.set('signet', String(Date.now()));
    const next = link.cloneNode();
    next.href = url.href;
    next.addEventListener('load', () => link.remove(), { once: true });
    link.after(next);
    swapped += 1;
  }
  return swapped > 0;
}

events.addEventListener('hello', (event) => {
  const state = JSON.parse(event.data);
  // Lets tools (and the browser test) see that this page is listening for rebuilds.
  document.documentElement.dataset.signetLive = String(current);
  if (state.error) showOverlay(state.error);
  else if (state.version !== current) location.reload();
  else hideOverlay();
});
events.addEventListener('reload', () => location.reload());
events.addEventListener('css', (event) => {
  const { version: next, paths } = JSON.parse(event.data);
  if (swapStylesheets(paths)) current = next;
  else location.reload();
});
events.addEventListener('build-error', (event) => showOverlay(JSON.parse(event.data)));
events.addEventListener('clear', hideOverlay);
`;
