#!/usr/bin/env bash
# Median key generation time per algorithm (P-256, P-384, RSA-2048/3072/4096) for certwright's
# generateKeyPair next to raw WebCrypto in the same page, and CSR signing time (createCsr next to
# raw WebCrypto sign), in headless Chromium. Target: certwright within 1.2x of raw WebCrypto.
# Usage: scripts/bench-keys.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh test
. scripts/serve-lib.sh

PORT=8092

echo "== building pkg/"
./scripts/build-pkg.sh

serve_start "$PORT" bench/keys.html

echo "== headless Chromium"
node tests/e2e/bench/keys-run.mjs --url "http://127.0.0.1:$PORT/bench/keys.html"
