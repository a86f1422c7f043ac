#!/usr/bin/env bash
# Installs and builds Signet inside the Action's own folder, so the site needs no package.json.
set -euo pipefail
cd "$GITHUB_ACTION_PATH"
npm ci --no-audit --no-fund
npm run build:packages
