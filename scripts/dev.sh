#!/usr/bin/env bash
# Sets up what is missing, builds the app, and serves it on http://127.0.0.1:8080/ together with
# the same-origin relay (/relay/) and, for trying the Akamai connector without an account, the
# vendor emulator on 127.0.0.1:9461 (paste tests/data/vendors/akamai/emulator.edgerc to connect).
#   CERTWRIGHT_RELAY_ALLOW="*.luna.akamaiapis.net,pf.example.com:9999"  hosts the relay may reach
#   (default: the public vendor APIs: *.luna.akamaiapis.net, api.openai.com, *.mattr.global;
#   PingFederate and Segura run on your own hosts, so add theirs)
# The emulator answers as every vendor under test hosts, routed by the relay:
#   emulator.akamai.test, api.openai.test, tenant.mattr.test + auth.mattr.test,
#   pingfederate.emulator.test, vault.segura.test
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh app
echo "certwright: building the app, the relay and the emulator"
trunk build --release --skip-version-check
cargo build -p certwright-relay -p certwright-emulator
target/debug/certwright-emulator --listen 127.0.0.1:9461 &
emulator=$!
trap 'kill $emulator 2>/dev/null || true' EXIT
export CERTWRIGHT_RELAY_ALLOW="${CERTWRIGHT_RELAY_ALLOW:-*.luna.akamaiapis.net,api.openai.com,*.mattr.global}"
target/debug/certwright-relay --listen 127.0.0.1:8080 --dist dist --route emulator.akamai.test=http://127.0.0.1:9461 \
  --route api.openai.test=http://127.0.0.1:9461 --route tenant.mattr.test=http://127.0.0.1:9461 \
  --route auth.mattr.test=http://127.0.0.1:9461 --route pingfederate.emulator.test=http://127.0.0.1:9461 \
  --route vault.segura.test=http://127.0.0.1:9461
