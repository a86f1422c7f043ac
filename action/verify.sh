#!/usr/bin/env bash
# Checks every signed post in the built site against the domain's published keys. Any failure fails
# the job before anything is deployed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
signet="$here/../packages/cli/bin/signet.js"

site="$(cd "${GITHUB_WORKSPACE:-.}" && cd "${SIGNET_SITE:-.}" && pwd)"
info="$(node "$here/site.mjs" info "$site" "${SIGNET_BASE_URL:-}")"
value() { printf '%s\n' "$info" | sed -n "s/^$1=//p"; }
out="$(value out)"

node "$signet" verify "$out" --domain "$(value host)"

posts="$(node "$here/site.mjs" count "$out")"
echo "Verified $posts signed posts for $(value site-url)"
{
  echo "site-url=$(value site-url)"
  echo "signed-posts=$posts"
} >> "$GITHUB_OUTPUT"
