#!/usr/bin/env bash
# Median key generation time per algorithm (P-256, P-384, RSA-2048/3072/4096) for certwright's
# generateKeyPair next to raw WebCrypto in the same page, and CSR signing time (createCsr next to
# raw WebCrypto sign), in headless Chromium. Target: certwright within 1.2x of raw WebCrypto.
# Usage: scripts/bench-keys.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh test

PORT=8092

server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT

echo "== building pkg/"
./scripts/build-pkg.sh

echo "== serving on 127.0.0.1:$PORT"
if curl -fsS -o /dev/null "http://127.0.0.1:$PORT/" 2>/dev/null; then
  echo "bench-keys.sh: something already listens on 127.0.0.1:$PORT" >&2; exit 1
fi
node tests/e2e/serve.mjs --port "$PORT" &
server_pid=$!
for _ in $(seq 50); do
  curl -fsS -o /dev/null "http://127.0.0.1:$PORT/bench/keys.html" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { echo "bench-keys.sh: the server did not start" >&2; exit 1; }
  sleep 0.2
done

echo "== headless Chromium"
node tests/e2e/bench/keys-run.mjs --url "http://127.0.0.1:$PORT/bench/keys.html"
