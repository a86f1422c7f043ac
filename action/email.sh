#!/usr/bin/env bash
# Sends each new post to the subscriber list. The SMTP URL, the list and the keys arrive only in the
# environment: each is masked first, the list is written to a private file outside the site and
# removed afterwards, and nothing of them is put on a command line or echoed. The ledger is copied in
# from the cached folder and back out whatever the send's outcome.
set -euo pipefail
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
ledger_dir="${SIGNET_LEDGER_DIR:?}"
mkdir -p "$ledger_dir" "$root/.signet/email"
if [ -f "$ledger_dir/ledger.jsonl" ]; then cp "$ledger_dir/ledger.jsonl" "$root/.signet/email/ledger.jsonl"; fi
finish() {
  if [ -f "$root/.signet/email/ledger.jsonl" ]; then cp "$root/.signet/email/ledger.jsonl" "$ledger_dir/ledger.jsonl"; fi
  rm -rf "$private"
}
trap finish EXIT

unset SIGNET_SUBSCRIBERS_CSV
SIGNET_SUBSCRIBERS="$list" node "$signet" email send --root "$root"
