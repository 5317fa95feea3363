#!/usr/bin/env bash
# Runs every check and test: formatting, lints (Rust and UI), the TypeScript check, generated IPC types
# up to date, Rust tests (engine, CLI, registry on SQLite and PostgreSQL, the token in a real
# keyring), UI tests, and the end-to-end test of the real app.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n==> %s\n' "$*"; }

step "set-up"
bash scripts/prepare.sh
command -v tauri-driver >/dev/null || cargo install tauri-driver --locked --version 2.1.0
# LibreOffice opens and recalculates exported workbooks the way a user's office suite would;
# PostgreSQL serves the registry's tests on its second store; gnome-keyring (in a D-Bus
# session) is the Secret Service the registry token is saved in.
bash scripts/setup-system.sh libreoffice-calc-nogui postgresql gnome-keyring dbus
# The Python test tools, reinstalled when tests/requirements.txt changes.
[ -x .venv/bin/python ] || python3 -m venv .venv
if ! cmp -s tests/requirements.txt .venv/requirements.installed; then
  .venv/bin/pip install -q -r tests/requirements.txt && cp tests/requirements.txt .venv/requirements.installed
fi

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "TypeScript check"
npm run typecheck --silent

step "UI lint (ESLint, with the layout's direction) and formatting (Prettier)"
npm run lint --silent

step "Rust tests (engine, CLI; regenerates the IPC types)"
cargo test --workspace --locked

step "the registry on PostgreSQL (two instances on one database)"
trap 'bash scripts/postgres.sh stop' EXIT
PORTFOLIO_TEST_POSTGRES_URL=$(bash scripts/postgres.sh) \
  cargo test --workspace --locked postgres -- --ignored
bash scripts/postgres.sh stop
trap - EXIT

step "the registry token in a real keyring (gnome-keyring's Secret Service)"
bash scripts/keyring-test.sh

step "generated IPC types and the engine's answers for the UI tests are committed"
if [ -n "$(git status --porcelain -- ui/src/bindings ui/src/test/engine.json)" ]; then
  git status --porcelain -- ui/src/bindings ui/src/test/engine.json
  echo "error: ui/src/bindings or ui/src/test/engine.json is stale: run 'cargo test' and commit the generated files" >&2
  exit 1
fi

step "UI tests"
npm run test:ui --silent

step "build the app, the CLI and the registry"
cargo build --workspace --locked

step "the registry's OpenAPI document against the server (schemathesis)"
.venv/bin/pytest -q tests/registry

step "spreadsheets: exports read back by openpyxl and LibreOffice, real files imported"
.venv/bin/pytest -q tests/spreadsheets

step "end-to-end test of the built app"
# In a session bus of its own: the app finds a running instance of itself on its store there.
# No accessibility bus: nothing here reads the screen, and it only adds processes and noise.
NO_AT_BRIDGE=1 xvfb-run -a -s "-screen 0 1440x900x24" dbus-run-session -- .venv/bin/pytest -q tests/e2e
