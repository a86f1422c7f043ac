#!/usr/bin/env bash
# Sends each new post to the subscriber list. The SMTP URL, the list and the keys arrive only in the
# environment: each is masked first, the list is written to a private file outside the site and
# removed afterwards, and nothing of them is put on a command line or echoed. The ledger stays in the
# site's .signet/email/, which the Action's cache steps restore and save.
set -euo pipefail
if [ "${SIGNET_EMAIL:-false}" != "true" ]; then exit 0; fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
signet="$here/../packages/cli/bin/signet.js"

if [ -z "${SIGNET_SMTP_URL:-}" ] || [ -z "${SIGNET_SUBSCRIBERS_CSV:-}" ]; then
  echo "::error::email is 'true' but smtp-url or subscribers is empty. Pass them from repository secrets (SIGNET_SMTP_URL, SIGNET_SUBSCRIBERS)."
  exit 1
fi
mask() {
  while IFS= read -r line; do
    if [ -n "$line" ]; then printf '::add-mask::%s\n' "$line"; fi
  done <<< "$1"
}
mask "$SIGNET_SMTP_URL"
mask "$SIGNET_SUBSCRIBERS_CSV"
# Each address on its own too, wherever it might appear.
mask "$(printf '%s\n' "$SIGNET_SUBSCRIBERS_CSV" | tr ',;' '\n\n' | grep '@' || true)"
mask "${SIGNET_UNSUBSCRIBE_SECRET:-}"
mask "${SIGNET_DKIM_PRIVATE_KEY:-}"

site="$(cd "${GITHUB_WORKSPACE:-.}" && cd "${SIGNET_SITE:-.}" && pwd)"
root="$site"
if [ -n "${SIGNET_BASE_URL:-}" ]; then
  # The build signed a copy whose config carries the base URL: the envelope ids come from that URL.
  root="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/signet-site"
fi

private="$(mktemp -d)"
umask 077
list="$private/subscribers.csv"
printf '%s\n' "$SIGNET_SUBSCRIBERS_CSV" > "$list"
ledger="$site/.signet/email/ledger.jsonl"
mkdir -p "$root/.signet/email"
# With a base URL the send runs on the build's copy of the site: the ledger goes there and back.
if [ "$root" != "$site" ] && [ -f "$ledger" ]; then cp "$ledger" "$root/.signet/email/ledger.jsonl"; fi
finish() {
  if [ "$root" != "$site" ] && [ -f "$root/.signet/email/ledger.jsonl" ]; then
    mkdir -p "$site/.signet/email"
    cp "$root/.signet/email/ledger.jsonl" "$ledger"
  fi
  rm -rf "$private"
}
trap finish EXIT

unset SIGNET_SUBSCRIBERS_CSV
SIGNET_SUBSCRIBERS="$list" node "$signet" email send --root "$root"
