#!/usr/bin/env bash
# After the deploy, tells every page the site's posts link to that they mention it (Webmention), once
# per version of each post. The ledger stays in the site's .signet/webmention/, which the Action's
# cache steps restore (before the build, which makes tombstones from it) and save. A target that
# fails is reported and tried again next run; the job goes on either way.
set -euo pipefail
if [ "${SIGNET_WEBMENTION:-false}" != "true" ]; then exit 0; fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
signet="$here/../packages/cli/bin/signet.js"
site="$(cd "${GITHUB_WORKSPACE:-.}" && cd "${SIGNET_SITE:-.}" && pwd)"
info="$(node "$here/site.mjs" info "$site" "${SIGNET_BASE_URL:-}")"
out="$(printf '%s\n' "$info" | sed -n 's/^out=//p')"
root="$site"
if [ -n "${SIGNET_BASE_URL:-}" ]; then
  # The build signed a copy whose config carries the base URL: the posts' URLs come from that URL.
  root="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/signet-site"
fi
ledger="$site/.signet/webmention/ledger.json"
finish() {
  if [ "$root" != "$site" ] && [ -f "$root/.signet/webmention/ledger.json" ]; then
    mkdir -p "$site/.signet/webmention"
    cp "$root/.signet/webmention/ledger.json" "$ledger"
  fi
}
trap finish EXIT
if [ "$root" != "$site" ] && [ -f "$ledger" ]; then
  mkdir -p "$root/.signet/webmention"
  cp "$ledger" "$root/.signet/webmention/ledger.json"
fi
node "$signet" webmention send --root "$root" --out "$out"
