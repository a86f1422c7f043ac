#!/usr/bin/env bash
# Reads the feeds in following.opml into .signet/network/ when the fetch-network input is 'true'. A
# feed that fails is reported and keeps its last items; the build goes on either way.
set -euo pipefail
if [ "${SIGNET_FETCH:-false}" != "true" ]; then
  exit 0
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
signet="$here/../packages/cli/bin/signet.js"
site="$(cd "${GITHUB_WORKSPACE:-.}" && cd "${SIGNET_SITE:-.}" && pwd)"
# The Webmention receiver's token (webmention-token) reaches signet only through the environment.
if [ -n "${SIGNET_WEBMENTION_TOKEN:-}" ]; then printf '::add-mask::%s\n' "$SIGNET_WEBMENTION_TOKEN"; else unset SIGNET_WEBMENTION_TOKEN; fi
node "$signet" fetch --root "$site"
