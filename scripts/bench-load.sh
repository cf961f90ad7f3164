#!/usr/bin/env bash
# How fast the app opens: navigation → interactive Inspect, and the first open of every other page
# (which loads the pages module, src/ui/lazy.rs), in headless Chromium with 4x CPU throttling,
# medians of 5 cold runs; plus the wasm bytes each step fetches. The app is served by the relay,
# as scripts/dev.sh serves it. Usage: scripts/bench-load.sh (BENCH_LOAD_PORT=8092 by default;
# SKIP_BUILD=1 uses the dist/ already built).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh test

PORT="${BENCH_LOAD_PORT:-8092}"
if [ -z "${SKIP_BUILD:-}" ]; then
  trunk build --release --skip-version-check
fi
cargo build -q -p certwright-relay
if curl -fsS -o /dev/null "http://127.0.0.1:$PORT/" 2>/dev/null; then
  echo "bench-load.sh: something already listens on 127.0.0.1:$PORT" >&2; exit 1
fi
target/debug/certwright-relay --listen "127.0.0.1:$PORT" --dist dist >/dev/null 2>&1 &
relay=$!
trap 'kill $relay 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -fsS -o /dev/null "http://127.0.0.1:$PORT/" 2>/dev/null && break; sleep 0.2; done
echo "== wasm in dist/ (gzip -9)"
for f in dist/*.wasm; do printf '  %-48s %8d bytes  %8d gz\n' "$(basename "$f")" "$(stat -c %s "$f")" "$(gzip -9c "$f" | wc -c)"; done
echo "== headless Chromium (load: $(cut -d' ' -f1-3 /proc/loadavg))"
node tests/e2e/bench/load-run.mjs --url "http://127.0.0.1:$PORT/" "$@"
