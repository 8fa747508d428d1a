#!/bin/sh
# test-network-namespace.sh: a download that outlives the network
#
# SPDX-FileCopyrightText: 2026 Model Manager developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs the mock Hub and `model-manager-cli download` in a network namespace
# of their own (unshare -rn: no privileges needed where user namespaces
# are allowed). Its only network is the loopback device with a default
# route on it, which is what GNetworkMonitor counts as a network. In the
# middle of the download the route and the loopback address go away for
# far longer than the retry policy would last (MM_TEST_RETRY_POLICY: two
# attempts 50 ms apart, a 2 s stall timeout): the CLI must say it waits
# for the network, keep its bytes, and when both come back finish the
# file verified, resuming from the bytes on disk (a Range request that
# does not start at 0).
#
# Needs MM_CLI and MM_MOCK_HUB (meson sets them), unshare and ip.
set -eu

if [ "${MM_IN_NETNS:-}" != 1 ]; then
  if ! command -v unshare >/dev/null || ! command -v ip >/dev/null; then
    echo "test-network-namespace: needs unshare (util-linux) and ip (iproute2)" >&2
    exit 1
  fi
  exec unshare -rn env MM_IN_NETNS=1 sh "$0" "$@"
fi

tmp=$(mktemp -d)
mock=
cli=
cleanup() {
  [ -n "$cli" ] && kill "$cli" 2>/dev/null || true
  [ -n "$mock" ] && kill "$mock" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  echo "--- CLI stderr" >&2; cat "$tmp/cli.err" >&2 || true
  echo "--- CLI stdout" >&2; cat "$tmp/cli.out" >&2 || true
  exit 1
}

# Waits up to $1 tenths of a second for the command in $2… to succeed.
wait_for() {
  tenths=$1; shift
  while ! "$@" 2>/dev/null; do
    tenths=$((tenths - 1))
    [ "$tenths" -gt 0 ] || return 1
    sleep 0.1
  done
}

ip link set lo up
ip route add default dev lo

# 600 KiB at 150 kB/s: about four seconds, time to pull the plug.
"$MM_MOCK_HUB" --cdn-rate 150000 --print-ranges >"$tmp/mock.out" 2>"$tmp/mock.err" &
mock=$!
wait_for 100 grep -q '^HF_ENDPOINT=' "$tmp/mock.out" || fail "the mock Hub did not start"
HF_ENDPOINT=$(sed -n 's/^HF_ENDPOINT=//p' "$tmp/mock.out")
export HF_ENDPOINT
export MM_TEST_RETRY_POLICY=2,50,2 MM_TOKEN_STORE=memory GSETTINGS_BACKEND=memory
export GIO_USE_PROXY_RESOLVER=dummy
unset HF_TOKEN HUGGING_FACE_HUB_TOKEN || true

"$MM_CLI" download tiny-org/Pico-GGUF Q8_0 --dir "$tmp/models" >"$tmp/cli.out" 2>"$tmp/cli.err" &
cli=$!

# Some bytes on disk: the progress lines say so ("…: 153600/614400 bytes").
has_bytes() { grep -Eq ': [1-9][0-9]*/614400 bytes' "$tmp/cli.err"; }
wait_for 200 has_bytes || fail "no bytes arrived"

# The cable is pulled.
ip route del default dev lo
ip addr del 127.0.0.1/8 dev lo
sleep 8
kill -0 "$cli" 2>/dev/null || fail "the download ended while the network was gone"
grep -q 'waiting for it to come back' "$tmp/cli.err" || fail "the CLI did not say it waits"

# Back.
ip addr add 127.0.0.1/8 dev lo
ip route add default dev lo
status=0
wait "$cli" || status=$?
cli=
[ "$status" -eq 0 ] || fail "the CLI exited with $status"
grep -q 'network is back' "$tmp/cli.err" || fail "the CLI did not say the network is back"
grep -q 'verified' "$tmp/cli.out" || fail "the file was not verified"
[ "$(stat -c %s "$tmp/models/tiny-org/Pico-GGUF/Pico-Q8_0.gguf")" -eq 614400 ] ||
  fail "the file has the wrong size"

kill "$mock"
wait "$mock" || true
mock=
grep -Eq '^CDN-RANGE: bytes=[1-9][0-9]*-' "$tmp/mock.out" ||
  { cat "$tmp/mock.out" >&2; fail "the download did not resume from its bytes on disk"; }
echo "ok: waited for the network and resumed from the bytes on disk"
