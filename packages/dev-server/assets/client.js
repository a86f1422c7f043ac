// The browser side of `signet dev`'s live reload, served as it is at /__signet/client.js (a file, not
// a string in the server's code, so nothing that bundles the server for Node ever rewrites it).
// It listens for build events, reloads after a good rebuild, swaps stylesheets when only CSS
// changed, and shows build errors in an overlay until the next good build. The page's build version
// rides on this script's URL, so a page that loaded just before a rebuild still catches up.
// The events path and the overlay's id are those src/client.ts exports (a test compares them).
const version = Number(new URL(import.meta.url).searchParams.get('v'));
let current = version;
const events = new EventSource('/__signet/events');
const overlayId = 'signet-error-overlay';

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
