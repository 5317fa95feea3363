#!/usr/bin/env bash
# Everything both README commands need before they build: system packages, npm packages
# and the built UI (the app embeds ui/dist when it compiles). Idempotent and incremental.
set -euo pipefail
cd "$(dirname "$0")/.."

need() { command -v "$1" >/dev/null 2>&1 || { echo "error: $1 not found. $2" >&2; exit 1; }; }
need cargo "Install Rust 1.94 or newer with rustup (https://rustup.rs); Debian's own rustc is older."
need node "Install Node.js 20.19 or newer (e.g. from NodeSource); Debian's own nodejs is older."
rustc_minor=$(rustc --version | sed -E 's/rustc 1\.([0-9]+).*/\1/')
[ "$rustc_minor" -ge 94 ] || { echo "error: Rust 1.94 or newer is needed (found $(rustc --version))" >&2; exit 1; }

bash scripts/setup-system.sh

# npm ci only when the lock file changed since the last install.
stamp=node_modules/.package-lock.stamp
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  npm ci --no-audit --no-fund
  cp package-lock.json "$stamp"
fi
npm run build --silent
