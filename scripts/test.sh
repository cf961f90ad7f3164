#!/usr/bin/env bash
# Sets up what is missing, then runs every test layer:
#   0. cargo fmt --check and cargo clippy -D warnings, native and wasm32
#   1. native `cargo test --workspace` (PKI core, vectors, openssl cross-check, property tests,
#      the Akamai client against the vendor emulator, the relay)
#   2. wasm-bindgen tests in headless Chromium (core in wasm, JS exports, the mounted app)
#   3. the JS module in Node (builds pkg/; the vendor clients against the vendor emulator)
#   4. Playwright end-to-end tests against the built app (builds dist/), served by the relay,
#      with the vendor emulator behind it
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh test

step() { printf '\n\033[1m== %s ==\033[0m\n' "$*"; }

step "formatting and lints (cargo fmt --check, cargo clippy -D warnings, native and wasm)"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy --target wasm32-unknown-unknown --lib --bins -- -D warnings
cargo clippy --target wasm32-unknown-unknown --lib --test web --features js-api -- -D warnings

step "native tests (cargo test --workspace)"
# The live comparison with Akamai's edgegrid-python must run here, not skip.
CERTWRIGHT_REQUIRE_EDGEGRID_PYTHON=1 cargo test --workspace

step "wasm tests in headless Chromium (wasm-bindgen-test)"
CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --features js-api --test web

step "JS module in Node (pkg/)"
./scripts/build-pkg.sh
# The vendor client tests (tests/js/*-client.test.mjs) start target/debug/certwright-emulator.
cargo build -p certwright-relay -p certwright-emulator
node --test tests/js/

step "end-to-end tests (Playwright + Chromium)"
trunk build --release --skip-version-check
(cd tests/e2e && npx playwright test)

step "all test layers passed"
