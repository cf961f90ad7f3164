#!/usr/bin/env bash
# Installs what certwright needs, only where it is missing (idempotent), from the package
# registries only: crates.io, npm, PyPI and Debian. Source it: `. scripts/setup.sh app|test`.
#   app  - wasm32 target, Trunk, wasm-bindgen-cli (the Cargo.lock version), wasm-opt (npm binaryen)
#   test - app, plus Chromium + chromedriver, openssl, the certifi bundle, npm test packages
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132.0.0
WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/, ""); print; exit}' "$ROOT/Cargo.lock")"
export PATH="$HOME/.cargo/bin:$ROOT/.tools/node_modules/.bin:$PATH"

say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  if ! as_root apt-get install -y -qq --no-install-recommends "${missing[@]}"; then
    # A first install can die in dpkg; repair and retry once.
    as_root dpkg --configure -a || true
    as_root apt-get -f install -y -qq || true
    as_root apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

setup_app() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  if ! trunk --version 2>/dev/null | grep -q " $TRUNK_VERSION"; then
    say "installing trunk $TRUNK_VERSION (compiles from crates.io, ~10 min once)"
    cargo install trunk --version "$TRUNK_VERSION" --locked
  fi
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION"; then
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (compiles from crates.io, ~5 min once)"
    # No --locked: its lockfile names a crate version the registry no longer serves.
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
  fi
  if ! wasm-opt --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION%%.*}"; then
    say "installing wasm-opt (npm binaryen@$BINARYEN_VERSION)"
    mkdir -p "$ROOT/.tools"
    [ -f "$ROOT/.tools/package.json" ] || echo '{"private":true}' > "$ROOT/.tools/package.json"
    npm install --prefix "$ROOT/.tools" --no-audit --no-fund --silent "binaryen@$BINARYEN_VERSION"
  fi
}

setup_test() {
  setup_app
  apt_install chromium chromium-driver openssl ca-certificates
  if ! python3 -c "import certifi" 2>/dev/null; then
    say "installing the certifi bundle (PyPI)"
    python3 -m pip install --quiet certifi || python3 -m pip install --quiet --user certifi
  fi
  if ! python3 -c "import akamai.edgegrid" 2>/dev/null; then
    say "installing edgegrid-python, Akamai's reference signer (PyPI)"
    python3 -m pip install --quiet edgegrid-python || python3 -m pip install --quiet --user edgegrid-python
  fi
  if [ ! -d "$ROOT/tests/e2e/node_modules/@playwright/test" ] || [ ! -d "$ROOT/tests/e2e/node_modules/@peculiar/x509" ] || [ ! -d "$ROOT/tests/e2e/node_modules/@axe-core/playwright" ]; then
    say "installing npm test packages (tests/e2e)"
    (cd "$ROOT/tests/e2e" && npm ci --no-audit --no-fund --silent)
  fi
  export CHROMEDRIVER=/usr/bin/chromedriver
  export CHROME_PATH=/usr/bin/chromium
}

case "${1:-app}" in
  app) setup_app ;;
  test) setup_test ;;
  *) echo "usage: . scripts/setup.sh app|test" >&2; return 2 2>/dev/null || exit 2 ;;
esac
