#!/usr/bin/env bash
# Microbenchmark of the wasm fingerprints (examples/digest_bench.rs) in Node: µs per message of
# ~1.3 KB for SHA-1 + SHA-256 through the sha1/sha2 crates one at a time, and through
# pki::fingerprints (four messages per SIMD128 vector). Median of 9 runs each.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh app
cargo build --release --target wasm32-unknown-unknown --features js-api --example digest_bench
out="$(mktemp -d)"
wasm-bindgen --target web --out-dir "$out" --out-name bench "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/release/examples/digest_bench.wasm"
wasm-opt -O3 --enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
  "$out/bench_bg.wasm" -o "$out/bench_bg.wasm"
cat > "$out/run.mjs" <<'JS'
import { readFileSync } from 'node:fs';
const b = await import(process.argv[2] + '/bench.js');
b.initSync({ module: readFileSync(process.argv[2] + '/bench_bg.wasm') });
const count = 4096;
for (const [len, vary] of [[1300, false], [1300, true], [64, false]]) {
  b.setup(count, len, vary);
  const bytes = b.total_bytes();
  const time = (f) => {
    const t = [];
    for (let i = 0; i < 9; i++) { const s = performance.now(); f(); t.push((performance.now() - s) * 1000 / count); }
    return t.sort((x, y) => x - y)[4];
  };
  if (b.crates() !== b.lanes()) throw new Error('checksums differ');
  const c = time(b.crates), s256 = time(b.crate_sha256), l = time(b.lanes);
  console.log(`${count} messages of ${vary ? '~' : ''}${Math.round(bytes / count)} bytes: crates SHA-1+SHA-256 ${c.toFixed(2)} µs, ` +
    `crate SHA-256 alone ${s256.toFixed(2)} µs, 4-lane SIMD SHA-1+SHA-256 ${l.toFixed(2)} µs per message (${(c / l).toFixed(2)}x)`);
}
JS
node "$out/run.mjs" "$out"
rm -rf "$out"
