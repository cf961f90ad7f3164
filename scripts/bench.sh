#!/usr/bin/env bash
# µs per certificate for parse + SHA-1 + SHA-256 + summary: natively (criterion) and in headless
# Chromium (certwright wasm core, certwright JS API and its summary fast path, @peculiar/x509 in the
# same page), on a bundle of at least 30,000 certificates; then the same bundle loaded in the app
# (parse worker) with its main-thread long tasks counted. Usage: scripts/bench.sh
# (BENCH_PORT=8091 by default).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh test
. scripts/serve-lib.sh

PORT="${BENCH_PORT:-8091}"
BUNDLE=tests/e2e/bench/bundle.pem
TARGET=30000

echo "== native: cargo bench --bench parse"
native_log="$(mktemp)"
cleanup() {
  rm -f "$native_log"
  serve_stop
}
trap cleanup EXIT
cargo bench --bench parse 2>&1 | tee "$native_log"
native_line="$(grep -m1 '^native:' "$native_log" || true)"
[ -n "$native_line" ] || { echo "bench.sh: no 'native:' line in the cargo bench output" >&2; exit 1; }
# criterion's warm estimate for the same bundle, `time:   [low estimate high]` (the first such line).
native_summary_line="$(grep -m1 '^native summary:' "$native_log" || true)"
criterion_line="$(grep -m1 -E '^[[:space:]]+time:[[:space:]]+\[' "$native_log" || true)"

echo "== building pkg/"
./scripts/build-pkg.sh

# The app too: the benchmark loads the bundle on the Inspect page (parse worker, long tasks).
echo "== building the app (dist/)"
trunk build --release --skip-version-check

# The same bundle as benches/parse.rs: the system trust store repeated to at least 30,000 certificates.
echo "== writing $BUNDLE"
base=/etc/ssl/certs/ca-certificates.crt
per="$(grep -c -- '-----BEGIN CERTIFICATE-----' "$base")"
copies=$(( (TARGET + per - 1) / per ))
for _ in $(seq "$copies"); do cat "$base"; done > "$BUNDLE"
echo "$BUNDLE: $((per * copies)) certificates ($per x $copies), $(du -h "$BUNDLE" | cut -f1)"

serve_start "$PORT" bench/

echo "== headless Chromium"
node tests/e2e/bench/run.mjs --url "http://127.0.0.1:$PORT/bench/" --native "$native_line" --criterion "$criterion_line" --native-summary "$native_summary_line"
