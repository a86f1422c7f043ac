#!/usr/bin/env bash
# Builds and signs the site. The key arrives only in SIGNET_SIGNING_KEY: it is masked first and never
# put on a command line or echoed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
signet="$here/../packages/cli/bin/signet.js"

if [ -z "${SIGNET_SIGNING_KEY:-}" ]; then
  echo "::error::The signing-key input is empty. Store the secret that \`signet keys generate\` printed as the repository secret SIGNET_SIGNING_KEY and pass it as signing-key."
  exit 1
fi
# One mask per line: the runner masks a line at a time, so a pasted secret with extra lines stays hidden.
while IFS= read -r line; do
  if [ -n "$line" ]; then printf '::add-mask::%s\n' "$line"; fi
done <<< "$SIGNET_SIGNING_KEY"
node "$here/site.mjs" mask

site="$(cd "${GITHUB_WORKSPACE:-.}" && cd "${SIGNET_SITE:-.}" && pwd)"
info="$(node "$here/site.mjs" info "$site" "${SIGNET_BASE_URL:-}")"
out="$(printf '%s\n' "$info" | sed -n 's/^out=//p')"

if [ -n "${SIGNET_BASE_URL:-}" ]; then
  work="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/signet-site"
  node "$here/site.mjs" overlay "$site" "$SIGNET_BASE_URL" "$work"
  node "$signet" build --root "$work" --out "$out"
else
  node "$signet" build --root "$site"
fi

echo "dist=$out" >> "$GITHUB_OUTPUT"
