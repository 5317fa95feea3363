#!/usr/bin/env bash
# Builds and launches the desktop app. Extra arguments go to the app (e.g. --db PATH).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/prepare.sh
cargo build -p ai-factory-portfolio
exec target/debug/ai-factory-portfolio "$@"
