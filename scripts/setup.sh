#!/usr/bin/env bash
# Installs what the project needs and is missing; safe to run again.
#  1. a Rust toolchain that targets wasm32-unknown-unknown
#     (rustup's target if installed, else Debian's rustc-web + std source + lld);
#  2. wasm-bindgen-cli at exactly the version of the wasm-bindgen crate in Cargo.lock;
#  3. the npm dev dependencies (npm ci), and those of the example web app;
#  4. Chromium, for the browser tests (Debian's package; no browser is downloaded);
#  5. redis-server, which the DPoP replay-store tests start on 127.0.0.1 (Debian's package).
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf 'setup: %s\n' "$*"; }

apt_install() {
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  if ! "${sudo[@]}" apt-get install -y -qq "$@" >/dev/null 2>&1; then
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" apt-get install -y -qq "$@"
  fi
}

missing_debs() {
  local missing=()
  for deb in "$@"; do
    dpkg-query -W -f='${Status}' "$deb" 2>/dev/null | grep -q 'install ok installed' || missing+=("$deb")
  done
  echo "${missing[@]}"
}

# 1. wasm32 toolchain.
if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  log "wasm32: rustup target"
else
  missing=$(missing_debs rustc-web cargo-web rust-web-src lld-22)
  if [ -n "$missing" ]; then
    log "wasm32: installing Debian packages: $missing"
    # shellcheck disable=SC2086
    apt_install $missing
  fi
  log "wasm32: Debian rustc-web with -Zbuild-std"
fi

# 2. wasm-bindgen-cli, pinned to the crate version.
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
if [ "$have" != "$want" ]; then
  log "installing wasm-bindgen-cli $want (found: ${have:-none})"
  cargo install --quiet wasm-bindgen-cli --version "$want"
fi

# 3. npm dev dependencies, when package-lock.json is newer than the install.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi

if [ ! -f examples/web/node_modules/.package-lock.json ] \
  || [ examples/web/package-lock.json -nt examples/web/node_modules/.package-lock.json ]; then
  log "npm ci (examples/web)"
  npm --prefix examples/web ci --no-audit --no-fund --loglevel=error
fi

# 4. Chromium for the browser tests.
if [ ! -x /usr/bin/chromium ]; then
  log "installing Debian's chromium"
  apt_install chromium
fi

# 5. redis-server for the replay-store tests (each test starts its own on 127.0.0.1).
if ! command -v redis-server >/dev/null 2>&1; then
  log "installing Debian's redis-server"
  apt_install redis-server
fi
