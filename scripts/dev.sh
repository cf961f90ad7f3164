#!/usr/bin/env bash
# Sets up what is missing, then builds and serves the app on http://127.0.0.1:8080/.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh app
echo "certwright: building; the app will be served at http://127.0.0.1:8080/"
exec trunk serve --release --skip-version-check
