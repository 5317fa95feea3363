#!/usr/bin/env bash
# Installs the system packages the app, its build and its tests need, on Debian/Ubuntu.
# Idempotent: packages already present are skipped, so a second run costs a second.
# Extra packages may be named as arguments (the tests add LibreOffice).
set -euo pipefail
pkgs=(libwebkit2gtk-4.1-dev build-essential curl wget file libxdo-dev libssl-dev
      libayatana-appindicator3-dev librsvg2-dev pkg-config xvfb xauth webkit2gtk-driver
      imagemagick python3-pip python3-venv openssl "$@")
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing system packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
