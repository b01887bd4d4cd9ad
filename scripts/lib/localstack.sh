# shellcheck shell=bash
# localstack.sh — install and run LocalStack community on the host (no Docker) on a free
# loopback port. Sourced by scripts/test, next to moto.sh.
#
# Why a second emulator: aws-sdk-cloudwatch speaks Smithy RPC v2 CBOR, which moto does not
# serve, and moto has no SQS message move tasks and never sets DeadLetterQueueSourceArn.
# LocalStack serves all three. The suite routes CloudWatch there with
# AWS_ENDPOINT_URL_CLOUDWATCH (and SQS, for the move-task tests, with --endpoint-url) while
# everything else goes to moto.
#
#   localstack_install      install localstack-core==$LOCALSTACK_VERSION (+ the pins it needs
#                           on the host) into $LOCALSTACK_VENV when missing (~3-4 min, once)
#   localstack_start        start it on a free 127.0.0.1 port; sets LOCALSTACK_PID,
#                           LOCALSTACK_ENDPOINT, LOCALSTACK_LOG
#   localstack_stop         stop what localstack_start started (safe to call twice)
#
# localstack-core 2026.3.0 needs Python >= 3.13: it uses PEP 695 syntax and
# warnings.deprecated (3.13); on 3.11 or 3.12 it fails with a misleading "No component plugins
# found" (its plugin fails to import). Its Docker images need an auth token: we stay on
# the host install and this pin. Loopback only: nothing here listens on any other address.

LOCALSTACK_VERSION="${LOCALSTACK_VERSION:-2026.3.0}"
UNSTUCK_TEST_CACHE="${UNSTUCK_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/unstuck-test}"
LOCALSTACK_VENV="${LOCALSTACK_VENV:-$UNSTUCK_TEST_CACHE/localstack-venv}"
LOCALSTACK_WAIT_S="${LOCALSTACK_WAIT_S:-120}"
# On the host (unlike in its Docker image) these pins are needed: cbor2 6 removed
# cbor2._decoder; pyOpenSSL >= 24.3 removed X509.add_extensions; twisted's TLS endpoints need
# service_identity; pyOpenSSL 24.2 needs cryptography < 44.
LOCALSTACK_PINS=('cbor2<6' 'pyopenssl<24.3' 'cryptography<44' 'service_identity')

LOCALSTACK_PID=""
LOCALSTACK_WATCHDOG_PID=""
LOCALSTACK_ENDPOINT=""
LOCALSTACK_LOG=""
LOCALSTACK_STATE=""

_ls_log() { echo "[localstack] $*" >&2; }

# A Python >= 3.13: on PATH, or one pyenv has (its shims answer even for versions that are
# not active, so each candidate is asked for its version).
_ls_python() {
  local c
  for c in "${LOCALSTACK_PYTHON:-}" python3.14 python3.13 python3 \
    "$HOME"/.pyenv/versions/3.1[3-9]*/bin/python3 /usr/bin/python3.1[3-9] /usr/local/bin/python3.1[3-9]; do
    [[ -n "$c" ]] || continue
    if "$c" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 13) else 1)' 2>/dev/null; then
      echo "$c"
      return 0
    fi
  done
  return 1
}

_ls_installed_version() {
  "$LOCALSTACK_VENV/bin/python" -c '
import sys, importlib.metadata as m
if sys.version_info >= (3, 13):
    print(m.version("localstack-core"))' 2>/dev/null || true
}

localstack_install() {
  if [[ "$(_ls_installed_version)" == "$LOCALSTACK_VERSION" ]]; then
    return 0
  fi
  local py
  py="$(_ls_python)" || {
    _ls_log "LocalStack needs Python >= 3.13 and none was found (tried python3.14, python3.13,"
    _ls_log "python3, ~/.pyenv/versions/3.13+, /usr/bin/python3.13+); set LOCALSTACK_PYTHON to one"
    return 1
  }
  _ls_log "installing localstack-core==$LOCALSTACK_VERSION into $LOCALSTACK_VENV with $py (3-4 min, once) ..."
  local t0=$SECONDS
  mkdir -p "$(dirname "$LOCALSTACK_VENV")"
  rm -rf "$LOCALSTACK_VENV"
  "$py" -m venv "$LOCALSTACK_VENV"
  "$LOCALSTACK_VENV/bin/python" -m pip install -q --disable-pip-version-check \
    "localstack-core[runtime]==$LOCALSTACK_VERSION" "${LOCALSTACK_PINS[@]}" >&2
  [[ "$(_ls_installed_version)" == "$LOCALSTACK_VERSION" ]] || {
    _ls_log "localstack-core $LOCALSTACK_VERSION did not install into $LOCALSTACK_VENV"; return 1; }
  _ls_log "installed in $((SECONDS - t0)) s"
}

_ls_free_port() {
  "$LOCALSTACK_VENV/bin/python" -c '
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

_ls_ready() {
  "$LOCALSTACK_VENV/bin/python" -c '
import sys, json, urllib.request
h = json.load(urllib.request.urlopen(sys.argv[1] + "/_localstack/health", timeout=1))
sys.exit(0 if h.get("services") else 1)' "$1" 2>/dev/null
}

localstack_start() {
  local t0 port i
  t0=$(date +%s%N)
  port="$(_ls_free_port)"
  LOCALSTACK_ENDPOINT="http://127.0.0.1:$port"
  LOCALSTACK_LOG="$UNSTUCK_TEST_CACHE/localstack-$port.log"
  LOCALSTACK_STATE="$(mktemp -d "${TMPDIR:-/tmp}/unstuck-localstack.XXXXXX")"
  # Path-style SQS URLs (the host stays 127.0.0.1); no SQS metrics of its own in CloudWatch
  # (the tests put the metrics they read); no DNS server, no certificate download, no events.
  # Its own temporary directory too: LocalStack keeps CloudWatch's database under
  # $TMPDIR/localstack and removes that directory when it stops, which would pull it from
  # under any other LocalStack on the machine.
  mkdir -p "$LOCALSTACK_STATE/tmp"
  TMPDIR="$LOCALSTACK_STATE/tmp" GATEWAY_LISTEN="127.0.0.1:$port" LOCALSTACK_HOST="127.0.0.1:$port" \
    LOCALSTACK_VOLUME_DIR="$LOCALSTACK_STATE" SQS_ENDPOINT_STRATEGY=path SQS_DISABLE_CLOUDWATCH_METRICS=1 \
    DISABLE_EVENTS=1 SKIP_SSL_CERT_DOWNLOAD=1 DNS_ADDRESS=0 EAGER_SERVICE_LOADING=0 \
    setsid "$LOCALSTACK_VENV/bin/python" -m localstack.runtime.main >"$LOCALSTACK_LOG" 2>&1 </dev/null &
  LOCALSTACK_PID=$!
  for ((i = 0; i < LOCALSTACK_WAIT_S * 5; i++)); do
    if ! kill -0 "$LOCALSTACK_PID" 2>/dev/null; then
      _ls_log "exited while starting; last log lines:"
      tail -n 20 "$LOCALSTACK_LOG" >&2 || true
      LOCALSTACK_PID=""
      return 1
    fi
    if _ls_ready "$LOCALSTACK_ENDPOINT"; then
      break
    fi
    sleep 0.2
  done
  if ! _ls_ready "$LOCALSTACK_ENDPOINT"; then
    _ls_log "did not answer within ${LOCALSTACK_WAIT_S}s"
    localstack_stop
    return 1
  fi
  local parent=$$ pid=$LOCALSTACK_PID
  (
    trap - EXIT INT TERM
    while kill -0 "$parent" 2>/dev/null && kill -0 "$pid" 2>/dev/null; do sleep 2; done
    kill -TERM -- "-$pid" 2>/dev/null || true
  ) </dev/null >/dev/null 2>&1 &
  LOCALSTACK_WATCHDOG_PID=$!
  _ls_log "localstack-core $LOCALSTACK_VERSION on $LOCALSTACK_ENDPOINT (pid $LOCALSTACK_PID) ready in $((($(date +%s%N) - t0) / 1000000)) ms"
}

localstack_stop() {
  if [[ -n "$LOCALSTACK_WATCHDOG_PID" ]]; then
    kill "$LOCALSTACK_WATCHDOG_PID" 2>/dev/null || true
    wait "$LOCALSTACK_WATCHDOG_PID" 2>/dev/null || true
    LOCALSTACK_WATCHDOG_PID=""
  fi
  [[ -n "$LOCALSTACK_PID" ]] || return 0
  kill -TERM -- "-$LOCALSTACK_PID" 2>/dev/null || kill -TERM "$LOCALSTACK_PID" 2>/dev/null || true
  local i
  for ((i = 0; i < 50; i++)); do
    kill -0 "$LOCALSTACK_PID" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$LOCALSTACK_PID" 2>/dev/null; then
    kill -KILL -- "-$LOCALSTACK_PID" 2>/dev/null || kill -KILL "$LOCALSTACK_PID" 2>/dev/null || true
  fi
  wait "$LOCALSTACK_PID" 2>/dev/null || true
  LOCALSTACK_PID=""
  if [[ -n "$LOCALSTACK_STATE" ]]; then rm -rf "$LOCALSTACK_STATE"; fi
  LOCALSTACK_STATE=""
}
