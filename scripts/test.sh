#!/usr/bin/env bash
# Runs every check and test: formatting, lints, the TypeScript check, generated IPC types
# up to date, Rust tests (engine + CLI), UI tests, and the end-to-end test of the real app.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n==> %s\n' "$*"; }

step "set-up"
bash scripts/prepare.sh
command -v tauri-driver >/dev/null || cargo install tauri-driver --locked --version 2.1.0
[ -x .venv/bin/pytest ] || { python3 -m venv .venv && .venv/bin/pip install -q selenium==4.* pytest==8.*; }

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "TypeScript check"
npm run typecheck --silent

step "Rust tests (engine, CLI; regenerates the IPC types)"
cargo test --workspace --locked

step "generated IPC types are committed"
if [ -n "$(git status --porcelain -- ui/src/bindings)" ]; then
  git status --porcelain -- ui/src/bindings
  echo "error: ui/src/bindings is stale: run 'cargo test' and commit the generated files" >&2
  exit 1
fi

step "UI tests"
npm run test:ui --silent

step "end-to-end test of the built app"
cargo build -p ai-factory-portfolio -p portfolio-cli --locked
xvfb-run -a -s "-screen 0 1440x900x24" .venv/bin/pytest -q tests/e2e
