#!/usr/bin/env bash
# How PEM scanning and "order as chain" scale on adversarial inputs (examples/scaling.rs).
#
#   scripts/bench-scaling.sh [SCALE]          wall time at n, 2n and 4n (SCALE multiplies every n)
#   scripts/bench-scaling.sh --instructions   instructions (callgrind) of one run at n, 2n and 4n:
#                                             independent of machine load, needs valgrind
#
# Linear code shows ratios of about 2 and 4, quadratic code 4 and 16. Built with the release
# profile minus LTO (the figures do not depend on it, the build time does).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16
cargo build --quiet --release --example scaling
bin=target/release/examples/scaling
if [ "${1:-}" != "--instructions" ]; then
  exec "$bin" "${1:-1}"
fi
command -v valgrind >/dev/null || { echo "bench-scaling.sh: --instructions needs valgrind" >&2; exit 1; }
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
echo "| input | n | instructions at n | at 2n | at 4n | × at 2n / 4n |"
echo "|---|---:|---:|---:|---:|---:|"
SCALING_RUNS=1 SCALING_ONLY_N=1 "$bin" 0.01 | tail -n +3 | cut -d'|' -f2 | while read -r name; do
  name="${name% }"
  counts=()
  for scale in 1 2 4; do
    # One run at n * scale only.
    SCALING_RUNS=1 SCALING_ONLY_N=1 valgrind --tool=callgrind --callgrind-out-file="$out/cg" \
      --toggle-collect='*scaling::time*' "$bin" "$scale" "$name" >/dev/null 2>"$out/log"
    counts+=("$(grep -oP 'Collected : \K[0-9]+' "$out/log")")
  done
  n="$(SCALING_RUNS=1 SCALING_ONLY_N=1 "$bin" 1 "$name" | tail -1 | cut -d'|' -f3)"
  awk -v name="$name" -v n="${n// /}" -v a="${counts[0]}" -v b="${counts[1]}" -v c="${counts[2]}" \
    'BEGIN { printf "| %s | %s | %.3g | %.3g | %.3g | %.1f / %.1f |\n", name, n, a, b, c, b / a, c / a }'
done
