# shellcheck shell=bash
# moto.sh — install and run a moto server on a free loopback port. Sourced by scripts/test.
#
#   moto_install            install moto[server]==$MOTO_VERSION into $MOTO_VENV when missing
#   moto_start              start it on a free 127.0.0.1 port; sets MOTO_PID, MOTO_PORT,
#                           MOTO_ENDPOINT, MOTO_LOG; applies the runtime config
#   moto_stop               stop what moto_start started (safe to call twice)
#
# Loopback only, on purpose: nothing here listens on or talks to any other address.

MOTO_VERSION="${MOTO_VERSION:-5.2.5}"
UNSTUCK_TEST_CACHE="${UNSTUCK_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/unstuck-test}"
MOTO_VENV="${MOTO_VENV:-$UNSTUCK_TEST_CACHE/moto-venv}"
MOTO_WAIT_S="${MOTO_WAIT_S:-60}"
# Switch on real Step Functions execution and Docker-free Lambda invoke. These settings choose
# backend stores, so they must be applied before any resource is created.
MOTO_CONFIG='{"stepfunctions":{"execute_state_machine":true},"lambda":{"use_docker":false}}'

MOTO_PID=""
MOTO_WATCHDOG_PID=""
MOTO_PORT=""
MOTO_ENDPOINT=""
MOTO_LOG=""

_moto_log() { echo "[moto] $*" >&2; }

_moto_installed_version() {
  "$MOTO_VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("moto"))' 2>/dev/null || true
}

moto_install() {
  if [[ -x "$MOTO_VENV/bin/moto_server" && "$(_moto_installed_version)" == "$MOTO_VERSION" ]]; then
    return 0
  fi
  command -v python3 >/dev/null || { _moto_log "python3 is required (to run moto)"; return 1; }
  _moto_log "installing moto[server]==$MOTO_VERSION into $MOTO_VENV (about a minute, once) ..."
  local t0=$SECONDS
  mkdir -p "$(dirname "$MOTO_VENV")"
  if [[ ! -x "$MOTO_VENV/bin/python" ]] || ! "$MOTO_VENV/bin/python" -c 'import sys' 2>/dev/null; then
    rm -rf "$MOTO_VENV"
    python3 -m venv "$MOTO_VENV"
  fi
  "$MOTO_VENV/bin/python" -m pip install -q --disable-pip-version-check "moto[server]==$MOTO_VERSION" >&2
  [[ "$(_moto_installed_version)" == "$MOTO_VERSION" ]] || {
    _moto_log "moto $MOTO_VERSION did not install into $MOTO_VENV"; return 1; }
  _moto_log "installed in $((SECONDS - t0)) s"
}

_moto_free_port() {
  "$MOTO_VENV/bin/python" -c '
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

# Any HTTP answer counts (GET /moto-api/config is cheap).
_moto_answers() {
  "$MOTO_VENV/bin/python" - "$1" <<'PY' 2>/dev/null
import sys, urllib.request, urllib.error
try:
    urllib.request.urlopen(sys.argv[1] + "/moto-api/config", timeout=1).read()
except urllib.error.HTTPError:
    pass
PY
}

_moto_post_config() {
  "$MOTO_VENV/bin/python" - "$1" "$2" <<'PY'
import sys, urllib.request
req = urllib.request.Request(sys.argv[1] + "/moto-api/config", data=sys.argv[2].encode(),
                             method="POST", headers={"Content-Type": "application/json"})
urllib.request.urlopen(req, timeout=10).read()
PY
}

# Start once on a fresh port; returns 1 if the server died (e.g. lost a race for the port).
_moto_try_start() {
  MOTO_PORT="$(_moto_free_port)"
  MOTO_ENDPOINT="http://127.0.0.1:$MOTO_PORT"
  MOTO_LOG="$UNSTUCK_TEST_CACHE/moto-$MOTO_PORT.log"
  # Own session: the terminal's ^C goes to us, and our trap stops moto. MOTO_PORT matters:
  # moto's Step Functions interpreter calls SQS/Lambda back through that port.
  MOTO_PORT="$MOTO_PORT" setsid "$MOTO_VENV/bin/moto_server" -H 127.0.0.1 -p "$MOTO_PORT" \
    >"$MOTO_LOG" 2>&1 </dev/null &
  MOTO_PID=$!
  local i
  for ((i = 0; i < MOTO_WAIT_S * 10; i++)); do
    if ! kill -0 "$MOTO_PID" 2>/dev/null; then
      wait "$MOTO_PID" 2>/dev/null || true
      MOTO_PID=""
      return 1
    fi
    if _moto_answers "$MOTO_ENDPOINT"; then
      return 0
    fi
    sleep 0.1
  done
  _moto_log "moto did not answer within ${MOTO_WAIT_S}s"
  moto_stop
  return 1
}

moto_start() {
  local t0 attempt
  t0=$(date +%s%N)
  for attempt in 1 2 3; do
    if _moto_try_start; then
      break
    fi
    _moto_log "start attempt $attempt failed; last log lines:"
    tail -n 15 "$MOTO_LOG" >&2 || true
    [[ $attempt == 3 ]] && return 1
  done
  _moto_post_config "$MOTO_ENDPOINT" "$MOTO_CONFIG"
  # If this shell is killed without running its traps, do not leave moto behind.
  local parent=$$ pid=$MOTO_PID
  (
    trap - EXIT INT TERM
    while kill -0 "$parent" 2>/dev/null && kill -0 "$pid" 2>/dev/null; do sleep 2; done
    kill -TERM -- "-$pid" 2>/dev/null || true
  ) </dev/null >/dev/null 2>&1 &
  MOTO_WATCHDOG_PID=$!
  _moto_log "moto $MOTO_VERSION on $MOTO_ENDPOINT (pid $MOTO_PID) ready in $((($(date +%s%N) - t0) / 1000000)) ms"
}

moto_stop() {
  if [[ -n "$MOTO_WATCHDOG_PID" ]]; then
    kill "$MOTO_WATCHDOG_PID" 2>/dev/null || true
    wait "$MOTO_WATCHDOG_PID" 2>/dev/null || true
    MOTO_WATCHDOG_PID=""
  fi
  [[ -n "$MOTO_PID" ]] || return 0
  # moto_server leads its own process group (setsid): signal the group it made.
  kill -TERM -- "-$MOTO_PID" 2>/dev/null || kill -TERM "$MOTO_PID" 2>/dev/null || true
  local i
  for ((i = 0; i < 50; i++)); do
    kill -0 "$MOTO_PID" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$MOTO_PID" 2>/dev/null; then
    kill -KILL -- "-$MOTO_PID" 2>/dev/null || kill -KILL "$MOTO_PID" 2>/dev/null || true
  fi
  wait "$MOTO_PID" 2>/dev/null || true
  MOTO_PID=""
}
