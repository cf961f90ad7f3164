# Sourced by scripts/bench.sh and scripts/bench-keys.sh (from the repository root): serves
# tests/e2e/serve.mjs on a loopback port for the duration of the script.
#   serve_start PORT PATH - refuses a port something already listens on, starts the server and
#                           waits (up to ~10 s) until http://127.0.0.1:PORT/PATH answers
#   serve_stop            - stops the server if one was started; the EXIT trap set here calls it,
#                           and a script that sets an EXIT trap of its own must call it there
# Messages are prefixed with the sourcing script's name.

server_pid=""
serve_stop() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
}
trap serve_stop EXIT

serve_start() {
  local port="$1" path="$2" me
  me="$(basename "$0")"
  echo "== serving on 127.0.0.1:$port"
  if curl -fsS -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null; then
    echo "$me: something already listens on 127.0.0.1:$port" >&2; exit 1
  fi
  node tests/e2e/serve.mjs --port "$port" &
  server_pid=$!
  for _ in $(seq 50); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/$path" 2>/dev/null && break
    kill -0 "$server_pid" 2>/dev/null || { echo "$me: the server did not start" >&2; exit 1; }
    sleep 0.2
  done
}
