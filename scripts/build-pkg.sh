#!/usr/bin/env bash
# Builds the JS module into pkg/: ES module + TypeScript declarations + package.json, usable in
# browsers and in Node 20+ (via initSync). Run after `. scripts/setup.sh app`.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh app
# Built with SIMD128 on (every current browser, Node 16.4+): base64 decoding (base64-simd), the
# UTF-8 check (simdutf8) and memchr use it, and the summary path hashes four certificates per
# vector (crates/pki/src/digest.rs). Its own target directory keeps these flags from invalidating
# the app's build cache (the app's modules are built without SIMD).
pkg_target="${CARGO_TARGET_DIR:-target}/js-module"
RUSTFLAGS="-C target-feature=+simd128" CARGO_TARGET_DIR="$pkg_target" \
  cargo build --lib --release --target wasm32-unknown-unknown --features js-api
rm -rf pkg
wasm-bindgen --target web --out-dir pkg --out-name certwright "$pkg_target/wasm32-unknown-unknown/release/certwright.wasm"
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
