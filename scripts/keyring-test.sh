#!/usr/bin/env bash
# Runs the token vault's keyring test against a real Secret Service: gnome-keyring in a
# private D-Bus session, with a throwaway keyring (the user's own is never touched).
# Installs nothing: scripts/setup-system.sh installs `gnome-keyring` and `dbus`.
set -euo pipefail
cd "$(dirname "$0")/.."
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
# An unlocked, unencrypted "login" keyring as the default collection: a fresh daemon has
# none, and making one needs a password prompt no headless machine can answer.
mkdir -m 700 "$data/keyrings"
printf 'login' > "$data/keyrings/default"
printf '[keyring]\ndisplay-name=login\nctime=0\nmtime=0\nlock-on-idle=false\nlock-after=false\n' \
  > "$data/keyrings/login.keyring"
# dbus-daemon cannot raise its file limit without root and says so; that is harmless.
XDG_DATA_HOME="$data" dbus-run-session -- bash -c '
  gnome-keyring-daemon --start --components=secrets >/dev/null
  cargo test --workspace --lib --locked keyring -- --ignored
' 2> >(grep -v "Failed to set fd limit" >&2)
