#!/usr/bin/env bash
# Builds the JS module into pkg/: ES module + TypeScript declarations + package.json, usable in
# browsers and in Node 20+ (via initSync). Run after `. scripts/setup.sh app`.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh app
cargo build --lib --release --target wasm32-unknown-unknown --features js-api
rm -rf pkg
wasm-bindgen --target web --out-dir pkg --out-name certwright "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/release/certwright.wasm"
# --enable-simd: the summary fast path hashes four certificates per SIMD128 vector (crates/pki/src/digest.rs).
wasm-opt -O3 --enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
  pkg/certwright_bg.wasm -o pkg/certwright_bg.wasm
version="$(awk -F'"' '/^version = /{print $2; exit}' Cargo.toml)"
cat > pkg/package.json <<JSON
{
  "name": "certwright",
  "version": "$version",
  "description": "Certificate inspection (PEM/DER/PKCS#7, fingerprints, CRLs, CSRs) compiled from Rust to WebAssembly",
  "license": "MIT OR Apache-2.0",
  "type": "module",
  "main": "certwright.js",
  "module": "certwright.js",
  "types": "certwright.d.ts",
  "files": ["certwright.js", "certwright.d.ts", "certwright_bg.wasm", "certwright_bg.wasm.d.ts", "snippets/"],
  "sideEffects": ["./snippets/*"],
  "engines": { "node": ">=20" }
}
JSON
echo "pkg/ built: $(du -h pkg/certwright_bg.wasm | cut -f1) wasm"
