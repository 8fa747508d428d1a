#!/usr/bin/env bash
# tests/bench-download.sh — how fast and how cheaply does model-manager-cli download one
# big file, compared with curl (and aria2c) doing the same transfer? (issue 10, "As fast as
# the link allows")
#
# SPDX-FileCopyrightText: 2026 Model Manager developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# This is a benchmark, not part of the test suite. Everything runs on loopback, against its
# own nginx: 127.0.0.1:PORT is the "Hub" (model info JSON, /resolve → 302) and
# 127.0.0.2:PORT+1 the "CDN" the download is redirected to. Scenarios (--scenario):
#
#   http-fast   plain HTTP/1.1, unthrottled, --size-gib GiB (default 2). The reference run,
#               as this script always did. Rows:
#                 model-manager-cli download        the whole CLI path: model info, /resolve →
#                                                   302 → CDN, streaming to .part, SHA-256,
#                                                   fsync, rename
#                 … --connections 1                 the same on one connection (only when the
#                                                   CLI has --connections)
#                 curl -s -o FILE                   the same bytes straight from the CDN
#                 curl -s -o FILE && sync FILE      the same, made durable as the CLI does
#                 curl -s | sha256sum               the same bytes hashed by coreutils
#   tls-fast    the same over HTTPS with HTTP/2 offered (ALPN h2,http/1.1) by both the Hub and
#               the CDN, as huggingface.co and its CDN do; rows as above without the sync one.
#   tls-capped  HTTPS + HTTP/2, and the CDN limits every response to --cap bytes/s with nginx
#               limit_rate (default 16m = 16 MiB/s; for HTTP/1.1 that is one connection, for
#               HTTP/2 one stream), --capped-size-mib MiB (default 256). This is what a
#               per-connection-throttled CDN looks like; only several connections beat it.
#               Rows: model-manager-cli download (its default connections, or --connections),
#               aria2c -x8 -s8 -k1M (HTTP/1.1 only: aria2 has no HTTP/2) and curl -s -o FILE.
#   all         the three, in the order http-fast, tls-fast, tls-capped.
# With --http1 the TLS scenarios offer only HTTP/1.1 (a diagnostic: it separates what TLS
# costs from what HTTP/2 costs).
#
# Targets printed under each table: fast scenarios, throughput CLI ≥ 0.9 × curl -o, CPU
# CLI ≤ curl|sha256sum (the CLI both receives and hashes), peak RSS < 32 MiB; tls-capped,
# throughput CLI ≥ 1.0 × aria2c -x8.
#
# Each command runs --runs times (default 5), the order reversing every other run, under GNU
# time (`/usr/bin/time -f … sh -c CMD`). Tables show MEDIANS with the spread (min-max):
#   wall s      elapsed time (bash $EPOCHREALTIME around the command)
#   MB/s        file size / wall, in 10^6 bytes per second; "x ref" = row MB/s / reference MB/s
#   CPU s       user + system CPU of the wrapper's children (curl and sha256sum together in the
#               pipe row); "x cpu" = row CPU / CPU reference (curl|sha256sum, or aria2c)
#   peak RSS    GNU time's %M: the largest maximum RSS of any single waited-for child, NOT
#               the sum (for the pipe that is the bigger of curl and sha256sum)
#   CDN conns   from nginx's access log, last run: TCP connections / requests to the CDN and
#               the protocol(s) they used; this shows whether HTTP/2 and N connections happened
#
# The CLI's --connections option (a many-connection engine, default 8) is detected with
# `model-manager-cli download --help`; --connections N is passed on only when it exists, and
# the "--connections 1" rows appear only then. Without it the CLI uses one connection.
#
# TLS (tls-fast, tls-capped). The script makes a throwaway CA and a server certificate for
# IP:127.0.0.1 and IP:127.0.0.2 (openssl, ECDSA P-256, 2 days) in a per-run directory, deleted
# on exit. curl gets --cacert and aria2c --ca-certificate. The CLI has no such option:
# libsoup 3 asks glib-networking's GnuTLS backend for the default GTlsDatabase, which loads
# GnuTLS's "system trust", and Debian 12's GnuTLS (3.7.9) hard-codes that as the file
# /etc/ssl/certs/ca-certificates.crt. Neither glib-networking 2.74 nor this GnuTLS reads an
# environment variable for another CA file (glib-networking only has G_TLS_GNUTLS_PRIORITY).
# Tried on 2026-12-02 with a bundle that has the CA appended: SSL_CERT_FILE, SSL_CERT_DIR
# (OpenSSL's), NIX_SSL_CERT_FILE (a NixOS patch to GnuTLS) and GNUTLS_SYSTEM_TRUST_FILE all
# leave the CLI answering "Unacceptable TLS certificate". So the CLI must find the CA in that
# very file. What this script does: it re-executes itself in a private mount
# namespace (`unshare --mount --propagation private`, needs root or CAP_SYS_ADMIN) and
# bind-mounts a private copy of the bundle, with the test CA appended, over
# /etc/ssl/certs/ca-certificates.crt. Only this script and its children see the copy; the
# machine's file is never written, and the mount vanishes with the namespace when the script
# exits, however it exits. The alternative, copying the CA to /usr/local/share/ca-certificates
# and running update-ca-certificates (then removing it again from an EXIT trap), also works
# (tried inside a mount namespace over private copies of both directories: the CLI accepts the
# server after update-ca-certificates and refuses it again after removal plus
# update-ca-certificates --fresh), but changes the trust of every process on the machine
# during the run, rewrites a file other tools own, and leaves the CA trusted if the script is
# SIGKILLed, so it is not used. The script checks before measuring that the CLI rejects the
# certificate without the mount (so the CA is really what makes it work) and accepts it with.
#
# Set-up (all in a work dir, ${BENCH_DIR:-/var/tmp/mm-bench}):
#   - installs nginx-light (or nginx), curl, time, coreutils, openssl, util-linux (unshare) and,
#     for tls-capped, aria2 with apt-get when missing
#   - test files of random data, one per size, made once and kept in $BENCH_DIR/files/<bytes>/
#     with their SHA-256 (they are a cache; delete the directory to get the space back)
#   - per invocation, a directory $BENCH_DIR/run.XXXXXX with nginx's config, logs, the TLS
#     files and the commands' logs, removed on exit (--keep keeps it)
#   - its own nginx per scenario (foreground, own config/pid/logs/temp paths, stopped on exit)
# Output goes to a fresh tmpfs directory (/dev/shm/mm-bench-out.XXXXXX, removed on exit) so
# that disk speed does not dominate; use --out DIR to measure a real disk (the dir is created
# if needed and the benchmark's files in it removed on exit).
#
# Usage:
#   tests/bench-download.sh [--scenario http-fast|tls-fast|tls-capped|all] [--runs N]
#                           [--size-gib N | --size-mib N] [--capped-size-mib N] [--cap RATE]
#                           [--connections N] [--http1] [--out DIR] [--port N] [--cli PATH]
#                           [--timeout SECONDS] [--keep]
#
#   ninja -C _build && tests/bench-download.sh            # http-fast: 2 GiB, 5 runs, tmpfs
#   tests/bench-download.sh --scenario all                # all three, 5 runs each
#   tests/bench-download.sh --scenario tls-capped --runs 3 --cap 8m --connections 16
#   tests/bench-download.sh --scenario tls-fast --size-gib 1 --runs 3
#
# --size-gib/--size-mib set the fast scenarios' file (default 2 GiB); --capped-size-mib the
# capped one's (default 256, at least 16). --cap takes nginx's syntax: bytes, or k/m suffixes
# (powers of 1024). --timeout is seconds per command run (default: derived from size and cap).
#
# The machine this was written for has 2 cores and 24 GiB of RAM: a 2 GiB source file stays
# in the page cache, and a 2 GiB tmpfs output fits easily.
set -euo pipefail

# ---------------------------------------------------------------------------- options

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SOURCE_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
SCRIPT_PATH=$SCRIPT_DIR/$(basename "${BASH_SOURCE[0]}")
ORIG_ARGS=("$@")

SCENARIO=http-fast
SIZE_MIB=2048
CAPPED_SIZE_MIB=256
CAP=16m
RUNS=5
CONNECTIONS=
OUT_DIR=
PORT=
CLI=$SOURCE_ROOT/_build/src/cli/model-manager-cli
RUN_TIMEOUT=          # seconds per command run; default derived from the size
KEEP=0
HTTP2=1
WORK_DIR=${BENCH_DIR:-/var/tmp/mm-bench}

REPO=bench/Big-GGUF
FILE_NAME=Big-GGUF-Q4_K_M.gguf
REVISION=0123456789abcdef0123456789abcdef01234567   # the fake commit the Hub reports

die () { printf 'bench-download: error: %s\n' "$*" >&2; exit 1; }
note () { printf 'bench-download: %s\n' "$*" >&2; }

usage () {
  sed -n '/^# Usage:/,/^# The machine/p' "$SCRIPT_PATH" | sed -e 's/^# \{0,1\}//' -e '$d'
}

is_uint () { [[ $1 =~ ^[0-9]+$ ]]; }

while [[ $# -gt 0 ]]; do
  case $1 in
    --scenario)   [[ $# -ge 2 ]] || die "--scenario needs a value"; SCENARIO=$2; shift 2 ;;
    --size-gib)   [[ $# -ge 2 ]] || die "--size-gib needs a value"
                  { is_uint "$2" && [[ $2 -ge 1 && $2 -le 64 ]]; } ||
                    die "--size-gib takes a whole number from 1 to 64 (got '$2')"
                  SIZE_MIB=$(($2 * 1024)); shift 2 ;;
    --size-mib)   [[ $# -ge 2 ]] || die "--size-mib needs a value"; SIZE_MIB=$2; shift 2 ;;
    --capped-size-mib) [[ $# -ge 2 ]] || die "--capped-size-mib needs a value"; CAPPED_SIZE_MIB=$2; shift 2 ;;
    --cap)        [[ $# -ge 2 ]] || die "--cap needs a value"; CAP=$2; shift 2 ;;
    --runs)       [[ $# -ge 2 ]] || die "--runs needs a value"; RUNS=$2; shift 2 ;;
    --connections) [[ $# -ge 2 ]] || die "--connections needs a value"; CONNECTIONS=$2; shift 2 ;;
    --out)        [[ $# -ge 2 ]] || die "--out needs a value"; OUT_DIR=$2; shift 2 ;;
    --port)       [[ $# -ge 2 ]] || die "--port needs a value"; PORT=$2; shift 2 ;;
    --cli)        [[ $# -ge 2 ]] || die "--cli needs a value"; CLI=$2; shift 2 ;;
    --timeout)    [[ $# -ge 2 ]] || die "--timeout needs a value"; RUN_TIMEOUT=$2; shift 2 ;;
    --keep)       KEEP=1; shift ;;
    --http1)      HTTP2=0; shift ;;
    -h|--help)    usage; exit 0 ;;
    *)            usage >&2; die "unknown argument: $1" ;;
  esac
done

case $SCENARIO in
  http-fast|tls-fast|tls-capped) SCENARIOS=("$SCENARIO") ;;
  all) SCENARIOS=(http-fast tls-fast tls-capped) ;;
  *) die "--scenario takes http-fast, tls-fast, tls-capped or all (got '$SCENARIO')" ;;
esac
if ! is_uint "$SIZE_MIB" || [[ $SIZE_MIB -lt 16 || $SIZE_MIB -gt 65536 ]]; then
  die "--size-mib takes a whole number from 16 to 65536 (got '$SIZE_MIB')"
fi
if ! is_uint "$CAPPED_SIZE_MIB" || [[ $CAPPED_SIZE_MIB -lt 16 || $CAPPED_SIZE_MIB -gt 65536 ]]; then
  die "--capped-size-mib takes a whole number from 16 to 65536 (got '$CAPPED_SIZE_MIB')"
fi
[[ $CAP =~ ^([0-9]+)([kKmM]?)$ ]] || die "--cap takes bytes per second with an optional k or m (got '$CAP')"
case ${BASH_REMATCH[2]} in
  k|K) CAP_BYTES=$((BASH_REMATCH[1] * 1024)) ;;
  m|M) CAP_BYTES=$((BASH_REMATCH[1] * 1048576)) ;;
  *)   CAP_BYTES=${BASH_REMATCH[1]} ;;
esac
[[ $CAP_BYTES -ge 65536 ]] || die "--cap must be at least 64k (got '$CAP')"
if ! is_uint "$RUNS" || [[ $RUNS -lt 1 || $RUNS -gt 50 ]]; then
  die "--runs takes a number from 1 to 50 (got '$RUNS')"
fi
[[ -z $CONNECTIONS ]] || { is_uint "$CONNECTIONS" && [[ $CONNECTIONS -ge 1 && $CONNECTIONS -le 64 ]]; } ||
  die "--connections takes a number from 1 to 64 (got '$CONNECTIONS')"
[[ -z $PORT ]] || { is_uint "$PORT" && [[ $PORT -ge 1024 && $PORT -le 65534 ]]; } ||
  die "--port takes a number from 1024 to 65534 (got '$PORT')"
[[ -z $RUN_TIMEOUT ]] || is_uint "$RUN_TIMEOUT" || die "--timeout takes seconds (got '$RUN_TIMEOUT')"
[[ $WORK_DIR = /* ]] || die "BENCH_DIR must be an absolute path (got '$WORK_DIR')"
if [[ -n $OUT_DIR ]]; then
  [[ $OUT_DIR = /* ]] || OUT_DIR=$PWD/$OUT_DIR
  case ${OUT_DIR%/} in
    ""|/dev/shm|/tmp|/var/tmp|"$HOME") die "--out must be a directory of its own, not $OUT_DIR" ;;
  esac
fi

NEED_TLS=0
for s in "${SCENARIOS[@]}"; do [[ $s != tls-* ]] || NEED_TLS=1; done

# A proxy from the environment must not sit between us and loopback.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY
# Nor may a real token go anywhere (it would not leave loopback, but still).
unset HF_TOKEN HUGGING_FACE_HUB_TOKEN
export LC_ALL=C

# ---------------------------------------------------------------------------- tools

NGINX=
find_nginx () {
  NGINX=$(command -v nginx 2>/dev/null || true)
  [[ -n $NGINX ]] || { [[ -x /usr/sbin/nginx ]] && NGINX=/usr/sbin/nginx; } || true
}

install_missing () {
  local -a want=()
  find_nginx
  [[ -n $NGINX ]] || want+=(nginx-light)
  command -v curl >/dev/null || want+=(curl)
  [[ -x /usr/bin/time ]] || want+=(time)
  { command -v sha256sum && command -v head && command -v stat && command -v timeout; } >/dev/null ||
    want+=(coreutils)
  if [[ $NEED_TLS -eq 1 ]]; then
    command -v openssl >/dev/null || want+=(openssl)
    command -v unshare >/dev/null || want+=(util-linux)
  fi
  [[ " ${SCENARIOS[*]} " != *" tls-capped "* ]] || command -v aria2c >/dev/null || want+=(aria2)
  [[ ${#want[@]} -gt 0 ]] || return 0

  local sudo=
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || die "need to install ${want[*]} but am not root and have no sudo"
    sudo=sudo
  fi
  note "installing ${want[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq || die "apt-get update failed"
  if ! $sudo apt-get install -y -qq --no-install-recommends "${want[@]}"; then
    # nginx-light is gone from newer Debian releases: fall back to nginx.
    want=("${want[@]/nginx-light/nginx}")
    $sudo apt-get install -y -qq --no-install-recommends "${want[@]}" ||
      die "apt-get install ${want[*]} failed"
  fi
  # A package may have started the system's nginx on :80; ours never needs it, and we
  # do not touch it (it is not ours to stop).
  find_nginx
}

# The TLS scenarios run in a private mount namespace (see the header): re-execute there
# before anything else happens, so that no trap or child of this process is left outside.
if [[ $NEED_TLS -eq 1 && -z ${MM_BENCH_MOUNT_NS:-} ]]; then
  install_missing
  unshare --mount --propagation private true 2>/dev/null ||
    die "the TLS scenarios need a private mount namespace (unshare --mount; run as root) to" \
        "make the CLI trust the test CA without touching the system trust store"
  MM_BENCH_MOUNT_NS=1 exec unshare --mount --propagation private -- \
    bash "$SCRIPT_PATH" "${ORIG_ARGS[@]}"
fi

install_missing
[[ -n $NGINX ]] || die "nginx not found after installing it"
[[ -x /usr/bin/time ]] || die "/usr/bin/time (GNU time) not found after installing it"
[[ -x $CLI ]] || die "no model-manager-cli at $CLI: build it first (ninja -C $SOURCE_ROOT/_build) or pass --cli"

# ---------------------------------------------------------------------------- work dir

mkdir -p "$WORK_DIR/files"
RUN_DIR=$(mktemp -d "$WORK_DIR/run.XXXXXX")
mkdir -p "$RUN_DIR"/{hub,nginx/tmp,logs,tls}
# nginx's workers run as another user (www-data) and must reach the model-info JSON; the keys
# stay private (nginx's master reads them as root before it starts its workers).
chmod 755 "$RUN_DIR"
chmod 700 "$RUN_DIR/tls"
LOG_DIR=$RUN_DIR/logs
NGINX_PID=
OUT_CREATED=0
BUNDLE_MOUNTED=0
SYSTEM_BUNDLE=/etc/ssl/certs/ca-certificates.crt

stop_nginx () {
  if [[ -n $NGINX_PID ]] && kill -0 "$NGINX_PID" 2>/dev/null; then
    kill -TERM "$NGINX_PID" 2>/dev/null || true      # nginx's fast shutdown
    for _ in $(seq 50); do kill -0 "$NGINX_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$NGINX_PID" 2>/dev/null || true
    wait "$NGINX_PID" 2>/dev/null || true
  fi
  NGINX_PID=
}

cleanup () {
  local rc=$?
  trap - EXIT INT TERM
  stop_nginx
  # The bind mount dies with the namespace anyway; unmounting first is just tidy.
  [[ $BUNDLE_MOUNTED -eq 0 ]] || umount "$SYSTEM_BUNDLE" 2>/dev/null || true
  if [[ -n $OUT_DIR ]]; then
    # Only what this script wrote under the output dir.
    rm -rf -- "${OUT_DIR:?}/bench" "${OUT_DIR:?}/curl-$FILE_NAME" \
              "${OUT_DIR:?}/aria2c-$FILE_NAME" "${OUT_DIR:?}/aria2c-$FILE_NAME.aria2" 2>/dev/null || true
    [[ $OUT_CREATED -eq 0 ]] || rmdir -- "$OUT_DIR" 2>/dev/null || true
  fi
  if [[ $KEEP -eq 1 ]]; then
    note "kept $RUN_DIR"
  else
    rm -rf -- "${RUN_DIR:?}"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Copy the CLI so a rebuild by someone else in the middle of the runs changes nothing
# (libmm-core is linked statically, so the binary stands alone).
CLI_COPY=$RUN_DIR/model-manager-cli
cp -f -- "$CLI" "$CLI_COPY"

CLI_HAS_CONNECTIONS=0
if "$CLI_COPY" download --help 2>&1 | grep -q -- --connections; then
  CLI_HAS_CONNECTIONS=1
fi
CLI_CONN_ARGS=
if [[ -n $CONNECTIONS ]]; then
  if [[ $CLI_HAS_CONNECTIONS -eq 1 ]]; then
    CLI_CONN_ARGS="--connections $CONNECTIONS"
  else
    note "this model-manager-cli has no --connections option: ignoring --connections $CONNECTIONS"
  fi
fi
if [[ $CLI_HAS_CONNECTIONS -eq 1 ]]; then
  CLI_CONN_DESC=${CONNECTIONS:-default}
  [[ -n $CONNECTIONS ]] || CLI_CONN_DESC="its default"
else
  CLI_CONN_DESC="one (this CLI has no --connections)"
fi

# Output directory: a fresh one on tmpfs unless --out.
if [[ -z $OUT_DIR ]]; then
  OUT_DIR=$(mktemp -d /dev/shm/mm-bench-out.XXXXXX)
  OUT_CREATED=1
  OUT_IS_DEFAULT=1
else
  OUT_IS_DEFAULT=0
  if [[ ! -d $OUT_DIR ]]; then
    mkdir -p -- "$OUT_DIR"
    OUT_CREATED=1
  fi
fi
OUT_FS=$(stat -f -c %T -- "$OUT_DIR")
CLI_DEST=$OUT_DIR/$REPO/$FILE_NAME
CURL_DEST=$OUT_DIR/curl-$FILE_NAME
ARIA_NAME=aria2c-$FILE_NAME
ARIA_DEST=$OUT_DIR/$ARIA_NAME

# Test data: one file per size, kept in $WORK_DIR/files/<bytes>/ with its hash.
DATA='' SHA256='' SIZE_BYTES='' FILES_DIR=''
prepare_data () {  # $1 = size in bytes
  SIZE_BYTES=$1
  FILES_DIR=$WORK_DIR/files/$SIZE_BYTES
  DATA=$FILES_DIR/$FILE_NAME
  local sha_file=$DATA.sha256 have_bytes avail stamp tmp
  mkdir -p "$FILES_DIR"
  have_bytes=$(stat -c %s -- "$DATA" 2>/dev/null || echo 0)
  if [[ $have_bytes -ne $SIZE_BYTES ]]; then
    avail=$(df -P -B1 -- "$FILES_DIR" | awk 'NR == 2 { print $4 }')
    [[ $((avail + have_bytes)) -gt $((SIZE_BYTES + 256 * 1024 * 1024)) ]] ||
      die "not enough space in $WORK_DIR for a $((SIZE_BYTES / 1048576)) MiB test file"
    note "making a $((SIZE_BYTES / 1048576)) MiB test file of random bytes: $DATA"
    rm -f -- "$DATA" "$sha_file"
    tmp=$DATA.tmp.$$
    head -c "$SIZE_BYTES" /dev/urandom > "$tmp"
    [[ $(stat -c %s -- "$tmp") -eq $SIZE_BYTES ]] || die "short test file"
    mv -f -- "$tmp" "$DATA"
  fi
  # The hash is cached next to the file, keyed by its size and mtime.
  stamp="$(stat -c '%s %Y' -- "$DATA")"
  if [[ ! -s $sha_file || $(sed -n 2p "$sha_file") != "$stamp" ]]; then
    note "hashing the test file once"
    tmp=$sha_file.tmp.$$
    { sha256sum -- "$DATA" | cut -d' ' -f1; echo "$stamp"; } > "$tmp"
    mv -f -- "$tmp" "$sha_file"
  fi
  SHA256=$(sed -n 1p "$sha_file")
  [[ $SHA256 =~ ^[0-9a-f]{64}$ ]] || die "bad cached hash in $sha_file"

  local out_avail
  out_avail=$(df -P -B1 -- "$OUT_DIR" | awk 'NR == 2 { print $4 }')
  [[ $out_avail -gt $((SIZE_BYTES + 128 * 1024 * 1024)) ]] ||
    die "$OUT_DIR ($OUT_FS) has $((out_avail / 1048576)) MiB free; need $((SIZE_BYTES / 1048576 + 128))"

  cat > "$RUN_DIR/hub/model-info.json" <<EOF
{
  "_id": "000000000000000000000000",
  "id": "$REPO",
  "modelId": "$REPO",
  "author": "bench",
  "sha": "$REVISION",
  "lastModified": "2026-01-01T00:00:00.000Z",
  "private": false,
  "disabled": false,
  "gated": false,
  "downloads": 0,
  "likes": 0,
  "library_name": "gguf",
  "tags": ["gguf", "text-generation"],
  "pipeline_tag": "text-generation",
  "siblings": [
    {
      "rfilename": "$FILE_NAME",
      "size": $SIZE_BYTES,
      "blobId": "0000000000000000000000000000000000000000",
      "lfs": { "sha256": "$SHA256", "size": $SIZE_BYTES, "pointerSize": 135 }
    }
  ]
}
EOF
  # Warm the page cache, so every run reads the source from memory.
  cat -- "$DATA" > /dev/null
}

# ---------------------------------------------------------------------------- TLS

TLS_DIR=$RUN_DIR/tls
CA_CERT=$TLS_DIR/ca.crt
SERVER_CERT=$TLS_DIR/server.crt
SERVER_KEY=$TLS_DIR/server.key

make_tls () {
  local log=$TLS_DIR/openssl.log
  note "making a throwaway test CA and a certificate for 127.0.0.1 and 127.0.0.2 in $TLS_DIR"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -keyout "$TLS_DIR/ca.key" -out "$CA_CERT" -subj "/CN=Model Manager benchmark CA $$" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    >>"$log" 2>&1 || die "openssl could not make the CA; see $log"
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$SERVER_KEY" -out "$TLS_DIR/server.csr" -subj "/CN=127.0.0.1" \
    >>"$log" 2>&1 || die "openssl could not make the server key; see $log"
  cat > "$TLS_DIR/server.ext" <<EOF
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,IP:127.0.0.2
EOF
  openssl x509 -req -days 2 -in "$TLS_DIR/server.csr" -CA "$CA_CERT" -CAkey "$TLS_DIR/ca.key" \
    -CAcreateserial -extfile "$TLS_DIR/server.ext" -out "$SERVER_CERT" \
    >>"$log" 2>&1 || die "openssl could not sign the server certificate; see $log"
  openssl verify -CAfile "$CA_CERT" "$SERVER_CERT" >>"$log" 2>&1 ||
    die "the server certificate does not verify against the test CA; see $log"
}

trust_ca () {  # make the CLI (GnuTLS) trust the test CA, in this mount namespace only
  [[ -n ${MM_BENCH_MOUNT_NS:-} ]] || die "internal: trust_ca outside the private mount namespace"
  [[ -f $SYSTEM_BUNDLE ]] || die "no $SYSTEM_BUNDLE to extend (install ca-certificates)"
  { cat -- "$SYSTEM_BUNDLE"; echo; cat -- "$CA_CERT"; } > "$TLS_DIR/ca-bundle.crt"
  chmod 644 "$TLS_DIR/ca-bundle.crt"
  mount --bind "$TLS_DIR/ca-bundle.crt" "$SYSTEM_BUNDLE" ||
    die "could not bind-mount the private bundle over $SYSTEM_BUNDLE"
  BUNDLE_MOUNTED=1
}

# ---------------------------------------------------------------------------- nginx

port_free () {  # is nothing listening on $1:$2?
  ! (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

if [[ -z $PORT ]]; then
  for _ in $(seq 50); do
    cand=$((20000 + RANDOM % 20000))
    if port_free 127.0.0.1 "$cand" && port_free 127.0.0.2 "$((cand + 1))"; then PORT=$cand; break; fi
  done
  [[ -n $PORT ]] || die "found no free port pair on loopback"
fi
CDN_PORT=$((PORT + 1))
NGINX_CONF=$RUN_DIR/nginx/nginx.conf
ACCESS_LOG=$RUN_DIR/nginx/access.log
SCHEME='' HUB_URL='' CDN_URL='' CURL_TLS=''

start_nginx () {  # $1 = http|https, $2 = per-response rate limit for the CDN or ""
  local scheme=$1 cap=$2 listen_opts='' tls_conf='' cap_conf=''
  SCHEME=$scheme
  HUB_URL=$scheme://127.0.0.1:$PORT
  CDN_URL=$scheme://127.0.0.2:$CDN_PORT/files/$FILE_NAME
  CURL_TLS=
  if [[ $scheme == https ]]; then
    listen_opts=" ssl"
    [[ $HTTP2 -eq 0 ]] || listen_opts=" ssl http2"
    tls_conf="ssl_certificate $SERVER_CERT;
  ssl_certificate_key $SERVER_KEY;
  ssl_protocols TLSv1.2 TLSv1.3;
  ssl_session_cache shared:bench:1m;"
    CURL_TLS="--cacert $CA_CERT"
  fi
  [[ -z $cap ]] || cap_conf="limit_rate $cap;"

  cat > "$NGINX_CONF" <<EOF
# Written by tests/bench-download.sh for one scenario.
daemon off;
master_process on;
worker_processes 1;
pid $RUN_DIR/nginx/nginx.pid;
error_log $RUN_DIR/nginx/error.log warn;
events { worker_connections 256; }
http {
  log_format bench '\$server_port \$connection \$server_protocol \$status \$body_bytes_sent "\$request"';
  access_log $ACCESS_LOG bench;
  client_body_temp_path $RUN_DIR/nginx/tmp/client;
  proxy_temp_path $RUN_DIR/nginx/tmp/proxy;
  fastcgi_temp_path $RUN_DIR/nginx/tmp/fastcgi;
  uwsgi_temp_path $RUN_DIR/nginx/tmp/uwsgi;
  scgi_temp_path $RUN_DIR/nginx/tmp/scgi;
  default_type application/octet-stream;
  sendfile on;
  sendfile_max_chunk 0;
  tcp_nopush on;
  keepalive_timeout 10;
  $tls_conf

  server {   # the "Hub"
    listen 127.0.0.1:$PORT$listen_opts;
    # Model info, whatever the query string (?blobs=true).
    location = /api/models/$REPO {
      default_type application/json;
      alias $RUN_DIR/hub/model-info.json;
    }
    # /resolve/<revision>/<path> answers with the CDN, on another host.
    location ~ ^/$REPO/resolve/[^/]+/(.+)\$ {
      return 302 $scheme://127.0.0.2:$CDN_PORT/files/\$1;
    }
    location / { return 404; }
  }

  server {   # the "CDN"
    listen 127.0.0.2:$CDN_PORT$listen_opts;
    location /files/ {
      alias $FILES_DIR/;
      $cap_conf
    }
    location / { return 404; }
  }
}
EOF

  "$NGINX" -t -q -p "$RUN_DIR/nginx" -e "$RUN_DIR/nginx/error.log" -c "$NGINX_CONF" ||
    die "nginx rejected $NGINX_CONF"
  "$NGINX" -p "$RUN_DIR/nginx" -e "$RUN_DIR/nginx/error.log" -c "$NGINX_CONF" \
    >>"$RUN_DIR/nginx/stdout.log" 2>&1 &
  NGINX_PID=$!

  local ok=0
  for _ in $(seq 100); do
    # shellcheck disable=SC2086
    if curl -s $CURL_TLS -o /dev/null --max-time 2 "$HUB_URL/api/models/$REPO" &&
       curl -s $CURL_TLS -o /dev/null --max-time 2 -r 0-0 "$CDN_URL"; then
      ok=1; break
    fi
    kill -0 "$NGINX_PID" 2>/dev/null || die "nginx exited; see $RUN_DIR/nginx/error.log"
    sleep 0.1
  done
  [[ $ok -eq 1 ]] || die "nginx does not answer on $HUB_URL and $CDN_URL"

  # Check the fake Hub before measuring anything.
  local info redir range proto
  # shellcheck disable=SC2086
  info=$(curl -sf $CURL_TLS --max-time 5 "$HUB_URL/api/models/$REPO?blobs=true") ||
    die "the Hub does not answer model info"
  grep -q "\"$SHA256\"" <<<"$info" || die "the Hub's model info lacks the file's hash"
  # shellcheck disable=SC2086
  redir=$(curl -s $CURL_TLS -o /dev/null --max-time 5 -w '%{http_code} %{redirect_url}' \
               "$HUB_URL/$REPO/resolve/$REVISION/$FILE_NAME")
  [[ $redir == "302 $CDN_URL" ]] || die "/resolve answered '$redir', not '302 $CDN_URL'"
  # shellcheck disable=SC2086
  range=$(curl -s $CURL_TLS -o /dev/null --max-time 5 -r 5-9 -w '%{http_code} %{size_download}' "$CDN_URL")
  [[ $range == "206 5" ]] || die "the CDN does not serve ranges (got '$range')"
  if [[ $scheme == https && $HTTP2 -eq 1 ]]; then
    # shellcheck disable=SC2086
    proto=$(curl -s $CURL_TLS -o /dev/null --max-time 5 -r 0-0 -w '%{http_version}' "$CDN_URL")
    [[ $proto == 2 ]] || die "the CDN does not speak HTTP/2 to curl (got HTTP/$proto)"
  fi
}

# Does the CLI accept the Hub's certificate? Prints its stderr on failure.
cli_probe () {
  rm -rf -- "$RUN_DIR/probe"
  HF_ENDPOINT=$HUB_URL timeout -k 5 60 "$CLI_COPY" info "$REPO" \
    > "$LOG_DIR/probe.out" 2> "$LOG_DIR/probe.err"
}

# ---------------------------------------------------------------------------- running

declare -a NAMES=()
declare -A LABEL CMD KIND
declare -A WALL MBS CPU USR SYS RSS CONNS   # space-separated per-run values
declare -A PROTO                            # last run's "C conns / R reqs, protocols"

add_row () {  # $1 = name, $2 = label, $3 = kind (cli|file|aria|pipe), $4 = command
  NAMES+=("$1"); LABEL[$1]=$2; KIND[$1]=$3; CMD[$1]=$4
  WALL[$1]='' MBS[$1]='' CPU[$1]='' USR[$1]='' SYS[$1]='' RSS[$1]='' CONNS[$1]='' PROTO[$1]=''
}

clean_out () {
  rm -rf -- "${OUT_DIR:?}/bench" "$CURL_DEST" "$ARIA_DEST" "$ARIA_DEST.aria2"
  # On a real disk, let the last run's writeback finish outside the timed part.
  sync -f -- "$OUT_DIR" 2>/dev/null || sync
}

check_file_hash () {  # $1 = file, $2 = what wrote it
  local got
  got=$(sha256sum -- "$1" | cut -d' ' -f1)
  [[ $got == "$SHA256" ]] || die "$2's file has SHA-256 $got, expected $SHA256"
}

declare -A HASH_CHECKED
run_one () {  # $1 = name, $2 = run number
  local name=$1 run=$2 tfile=$LOG_DIR/$1.time t0 t1 rc=0 line log_before conn_stats
  clean_out
  log_before=$(stat -c %s -- "$ACCESS_LOG" 2>/dev/null || echo 0)
  t0=$EPOCHREALTIME
  HF_ENDPOINT=$HUB_URL timeout -k 5 "$RUN_TIMEOUT" \
    /usr/bin/time -o "$tfile" -f '%e %U %S %M' sh -c "${CMD[$name]}" || rc=$?
  t1=$EPOCHREALTIME
  if [[ $rc -ne 0 ]]; then
    [[ $rc -ne 124 ]] || die "${LABEL[$name]} took more than ${RUN_TIMEOUT}s (run $run); raise --timeout"
    [[ ${KIND[$name]} != cli ]] || { cat "$LOG_DIR/$name.stderr" >&2 || true; }
    [[ ${KIND[$name]} != aria ]] || { tail -n 20 "$LOG_DIR/aria2c.log" >&2 || true; }
    die "${LABEL[$name]} exited with status $rc (run $run)"
  fi
  # GNU time may put a "Command exited…" line first; the numbers are the last line.
  line=$(tail -n 1 "$tfile")
  read -r _ usr sys rss_kib <<<"$line"
  WALL[$name]+="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }') "
  MBS[$name]+="$(awk -v a="$t0" -v b="$t1" -v n="$SIZE_BYTES" 'BEGIN { printf "%.2f", n / (b - a) / 1e6 }') "
  USR[$name]+="$usr "
  SYS[$name]+="$sys "
  CPU[$name]+="$(awk -v u="$usr" -v s="$sys" 'BEGIN { printf "%.2f", u + s }') "
  RSS[$name]+="$(awk -v k="$rss_kib" 'BEGIN { printf "%.1f", k / 1024 }') "

  # What reached the CDN during this run: distinct connections, requests, protocols.
  conn_stats=$(tail -c +"$((log_before + 1))" "$ACCESS_LOG" 2>/dev/null |
    awk -v port="$CDN_PORT" '$1 == port && ($4 == 200 || $4 == 206) {
        req++; if (!($2 in c)) { c[$2] = 1; conns++ }; p[$3] = 1 }
      END { s = ""; for (k in p) s = s (s == "" ? "" : "+") k
            printf "%d %d %s", conns, req, (s == "" ? "-" : s) }')
  read -r n_conns n_reqs protos <<<"$conn_stats"
  CONNS[$name]+="$n_conns "
  protos=${protos//HTTP\/2.0/h2}; PROTO[$name]="${n_conns}c/${n_reqs}r ${protos//HTTP\//h}"

  case ${KIND[$name]} in
    cli)
      [[ -f $CLI_DEST ]] || die "model-manager-cli exited 0 but $CLI_DEST does not exist"
      grep -q '"verified" *: *true' "$LOG_DIR/$name.json" ||
        die "model-manager-cli's JSON does not say verified: $(cat "$LOG_DIR/$name.json")"
      if [[ -z ${HASH_CHECKED[$name]:-} ]]; then
        check_file_hash "$CLI_DEST" "${LABEL[$name]}"
        HASH_CHECKED[$name]=1
        note "${LABEL[$name]} exited 0 and its file's SHA-256 matches"
      fi
      ;;
    file)
      [[ $(stat -c %s -- "$CURL_DEST") -eq $SIZE_BYTES ]] || die "${LABEL[$name]} wrote a short file"
      ;;
    aria)
      [[ $(stat -c %s -- "$ARIA_DEST") -eq $SIZE_BYTES ]] || die "aria2c wrote a short file"
      [[ ! -e $ARIA_DEST.aria2 ]] || die "aria2c left its control file: the download is unfinished"
      if [[ -z ${HASH_CHECKED[$name]:-} ]]; then
        check_file_hash "$ARIA_DEST" aria2c
        HASH_CHECKED[$name]=1
        note "aria2c exited 0 and its file's SHA-256 matches"
      fi
      ;;
    pipe)
      [[ $(cut -d' ' -f1 "$LOG_DIR/pipe.sha256") == "$SHA256" ]] ||
        die "curl | sha256sum printed a different hash (a short transfer?)"
      ;;
  esac
}

stats () {  # "a b c …" (one string) → "median min max" of those numbers
  tr -s ' ' '\n' <<<"$1" | grep . | sort -g | awk '{ v[NR] = $1 } END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%.4f %.4f %.4f", m, v[1], v[NR] }'
}

spread () {  # $1 = printf format for one number, $2 = "median min max"
  local m lo hi
  read -r m lo hi <<<"$2"
  # shellcheck disable=SC2059
  printf "$1 ($1-$1)" "$m" "$lo" "$hi"
}

verdict () {  # $1 = a numeric awk condition built from our own figures
  if awk "BEGIN { exit !($1) }"; then echo "OK"; else echo "MISSED"; fi
}

ratio () { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }'; }

# ---------------------------------------------------------------------------- scenarios

cli_cmd () {  # $1 = row name, $2 = extra CLI arguments
  printf 'exec "%s" download %s %s --dir "%s" --json %s > "%s" 2> "%s"' \
    "$CLI_COPY" "$REPO" "$FILE_NAME" "$OUT_DIR" "$2" "$LOG_DIR/$1.json" "$LOG_DIR/$1.stderr"
}

setup_rows () {  # $1 = scenario
  NAMES=()
  local cli_label="model-manager-cli download"
  [[ -z $CLI_CONN_ARGS ]] || cli_label="model-manager-cli $CLI_CONN_ARGS"
  add_row cli "$cli_label" cli "$(cli_cmd cli "$CLI_CONN_ARGS")"
  case $1 in
    http-fast|tls-fast)
      if [[ $CLI_HAS_CONNECTIONS -eq 1 && $CONNECTIONS != 1 ]]; then
        add_row cli_c1 "model-manager-cli --connections 1" cli "$(cli_cmd cli_c1 "--connections 1")"
      fi
      add_row curl_o "curl -s -o FILE" file "exec curl -sf $CURL_TLS -o \"$CURL_DEST\" \"$CDN_URL\""
      if [[ $1 == http-fast ]]; then
        add_row curl_sync "curl -s -o FILE && sync FILE" file \
          "curl -sf $CURL_TLS -o \"$CURL_DEST\" \"$CDN_URL\" && sync -- \"$CURL_DEST\""
      fi
      add_row curl_sha "curl -s | sha256sum" pipe \
        "curl -sf $CURL_TLS \"$CDN_URL\" | sha256sum > \"$LOG_DIR/pipe.sha256\""
      REF=curl_o CPU_REF=curl_sha
      ;;
    tls-capped)
      add_row aria2c "aria2c -x8 -s8 -k1M" aria \
        "exec aria2c -q -x8 -s8 -k1M --ca-certificate=\"$CA_CERT\" --max-tries=1 \
--allow-overwrite=true --auto-file-renaming=false --file-allocation=falloc \
--log=\"$LOG_DIR/aria2c.log\" --log-level=warn -d \"$OUT_DIR\" -o \"$ARIA_NAME\" \"$CDN_URL\""
      add_row curl_o "curl -s -o FILE" file "exec curl -sf $CURL_TLS -o \"$CURL_DEST\" \"$CDN_URL\""
      REF=aria2c CPU_REF=aria2c
      ;;
  esac
}

report () {  # $1 = scenario; prints the table
  local scn=$1 name cpu_model sha_ni out_kind proto_desc cap_desc=
  declare -A S_WALL S_MBS S_CPU S_RSS M_MBS M_CPU M_RSS M_USR M_SYS
  for name in "${NAMES[@]}"; do
    S_WALL[$name]=$(stats "${WALL[$name]}")
    S_MBS[$name]=$(stats "${MBS[$name]}")
    S_CPU[$name]=$(stats "${CPU[$name]}")
    S_RSS[$name]=$(stats "${RSS[$name]}")
    M_MBS[$name]=${S_MBS[$name]%% *}
    M_CPU[$name]=${S_CPU[$name]%% *}
    M_RSS[$name]=${S_RSS[$name]%% *}
    M_USR[$name]=$(stats "${USR[$name]}"); M_USR[$name]=${M_USR[$name]%% *}
    M_SYS[$name]=$(stats "${SYS[$name]}"); M_SYS[$name]=${M_SYS[$name]%% *}
  done

  cpu_model=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
  sha_ni=no; grep -qw sha_ni /proc/cpuinfo && sha_ni=yes
  if [[ $OUT_IS_DEFAULT -eq 1 ]]; then out_kind="tmpfs default (disk speed excluded)"; else out_kind="--out, a real file system"; fi
  if [[ $SCHEME == https ]]; then
    proto_desc="HTTPS (TLS 1.2/1.3, ECDSA P-256), HTTP/2 offered by ALPN"
    [[ $HTTP2 -eq 1 ]] || proto_desc="HTTPS (TLS 1.2/1.3, ECDSA P-256), HTTP/1.1 only (--http1)"
  else
    proto_desc="plain HTTP/1.1, sendfile"
  fi
  [[ $scn != tls-capped ]] || cap_desc=", CDN capped at $CAP ($CAP_BYTES bytes/s) per response"

  echo
  echo "Model Manager download benchmark — scenario $scn ($(date -u '+%Y-%m-%d %H:%M UTC'))"
  printf '  file         %s, %d bytes (%d MiB) of random data, SHA-256 %.16s...\n' \
    "$FILE_NAME" "$SIZE_BYTES" "$((SIZE_BYTES / 1048576))" "$SHA256"
  printf '  server       nginx %s on loopback: %s%s\n' "$("$NGINX" -v 2>&1 | sed 's/.*\///')" "$proto_desc" "$cap_desc"
  printf '  output       %s [%s; %s]\n' "$OUT_DIR" "$OUT_FS" "$out_kind"
  printf '  CLI          %s; connections: %s\n' "$CLI" "$CLI_CONN_DESC"
  printf '  machine      %s, %s cores, sha_ni: %s, kernel %s\n' "$cpu_model" "$(nproc)" \
    "$sha_ni" "$(uname -r)"
  printf '  load avg.    %s before the runs, %s after (the runs themselves add about 1)\n' \
    "$LOAD_AT_START" "$(cut -d' ' -f1-3 /proc/loadavg)"
  printf '  runs         %d of each, order reversing every other run; MEDIAN (min-max)\n' "$RUNS"
  echo
  printf '  %-34s %-22s %-22s %6s %-20s %6s %-20s %s\n' "command" "wall s" "MB/s" "x ref" \
    "CPU s (u+s)" "x cpu" "peak RSS MiB" "CDN conns"
  for name in "${NAMES[@]}"; do
    printf '  %-34s %-22s %-22s %6.3f %-20s %6.3f %-20s %s\n' "${LABEL[$name]}" \
      "$(spread %.3f "${S_WALL[$name]}")" "$(spread %.1f "${S_MBS[$name]}")" \
      "$(ratio "${M_MBS[$name]}" "${M_MBS[$REF]}")" \
      "$(spread %.2f "${S_CPU[$name]}")" "$(ratio "${M_CPU[$name]}" "${M_CPU[$CPU_REF]}")" \
      "$(spread %.1f "${S_RSS[$name]}")" "${PROTO[$name]}"
  done
  echo
  echo "  x ref = MB/s / ${LABEL[$REF]}'s MB/s;  x cpu = CPU s / ${LABEL[$CPU_REF]}'s CPU s."
  echo "  CPU is user+sys of everything under the 'sh -c' wrapper. Peak RSS is GNU time's %M: the"
  echo "  largest single child's max RSS, not a sum. MB/s = 10^6 bytes/s from wall time; the CLI's"
  echo "  wall time includes the model-info request, the redirect, fsync and rename. CDN conns:"
  echo "  TCP connections c / requests r that reached the CDN in the last run, and their protocol."
  echo

  local tp cpu
  echo "  Targets"
  if [[ $scn == tls-capped ]]; then
    tp=$(ratio "${M_MBS[cli]}" "${M_MBS[aria2c]}")
    printf '    throughput  model-manager-cli / aria2c -x8        %6.3fx   (target >= 1.0)   %s\n' \
      "$tp" "$(verdict "$tp >= 1.0")"
    printf '                model-manager-cli / curl -o (1 conn)  %6.3fx   (for reference; the cap alone\n' \
      "$(ratio "${M_MBS[cli]}" "${M_MBS[curl_o]}")"
    printf '                allows %.1f MB/s per connection)\n' "$(awk -v c="$CAP_BYTES" 'BEGIN { print c / 1e6 }')"
  else
    tp=$(ratio "${M_MBS[cli]}" "${M_MBS[curl_o]}")
    cpu=$(ratio "${M_CPU[cli]}" "${M_CPU[curl_sha]}")
    printf '    throughput  model-manager-cli / curl -o           %6.3fx   (target >= 0.9)   %s\n' \
      "$tp" "$(verdict "$tp >= 0.9")"
    printf '    CPU         model-manager-cli / curl|sha256sum    %6.3fx   (target <= 1.0)   %s\n' \
      "$cpu" "$(verdict "$cpu <= 1.0")"
    printf '                (model-manager-cli / curl -o alone     %6.3fx, for reference)\n' \
      "$(ratio "${M_CPU[cli]}" "${M_CPU[curl_o]}")"
    if [[ -n ${M_MBS[cli_c1]:-} ]]; then
      printf '    one conn.   model-manager-cli --connections 1     %6.3fx curl -o   (for reference)\n' \
        "$(ratio "${M_MBS[cli_c1]}" "${M_MBS[curl_o]}")"
    fi
    if [[ -n ${M_MBS[curl_sync]:-} ]]; then
      printf '    durable     model-manager-cli / curl -o + sync    %6.3fx   (both on disk when they end)\n' \
        "$(ratio "${M_MBS[cli]}" "${M_MBS[curl_sync]}")"
    fi
  fi
  printf '    peak RSS    model-manager-cli                     %6.1f MiB (target < 32)   %s\n' \
    "${M_RSS[cli]}" "$(verdict "${M_RSS[cli]} < 32")"
  echo
  echo "  Per-run values, in the order the runs happened:"
  for name in "${NAMES[@]}"; do
    printf '    %-34s wall s: %s MB/s: %s\n' "${LABEL[$name]}" "${WALL[$name]}" "${MBS[$name]}"
    printf '    %-34s CPU s:  %s RSS MiB: %s CDN conns: %s\n' "" "${CPU[$name]}" "${RSS[$name]}" "${CONNS[$name]}"
  done
}

run_scenario () {  # $1 = scenario
  local scn=$1 size_bytes scheme=http cap='' run i name w
  case $scn in
    http-fast)  size_bytes=$((SIZE_MIB * 1048576)) ;;
    tls-fast)   size_bytes=$((SIZE_MIB * 1048576)); scheme=https ;;
    tls-capped) size_bytes=$((CAPPED_SIZE_MIB * 1048576)); scheme=https; cap=$CAP ;;
  esac
  prepare_data "$size_bytes"
  start_nginx "$scheme" "$cap"

  if [[ $scheme == https && $BUNDLE_MOUNTED -eq 0 ]]; then
    # Negative control first: without the CA in the bundle the CLI must refuse the server,
    # or the mount below would prove nothing.
    if cli_probe; then
      die "model-manager-cli accepted the test server's certificate before the CA was trusted"
    fi
    note "as expected, without the test CA the CLI refuses: $(head -c 200 "$LOG_DIR/probe.err")"
    trust_ca
    cli_probe || die "model-manager-cli still refuses the test CA after the bind mount:" \
                     "$(cat "$LOG_DIR/probe.err")"
    note "with the private bundle bind-mounted over $SYSTEM_BUNDLE the CLI trusts the test CA"
  fi

  # Anything slower than this is a hang, not a measurement: 50 MB/s when unthrottled, half
  # the cap (one connection) when capped.
  if [[ -n $RUN_TIMEOUT_OPT ]]; then
    RUN_TIMEOUT=$RUN_TIMEOUT_OPT
  elif [[ -n $cap ]]; then
    RUN_TIMEOUT=$((60 + 2 * size_bytes / CAP_BYTES))
  else
    RUN_TIMEOUT=$((60 + size_bytes / 50000000))
  fi

  setup_rows "$scn"
  LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)
  note "scenario $scn: Hub $HUB_URL, CDN $CDN_URL${cap:+ (limit_rate $cap)}, output $OUT_DIR" \
       "($OUT_FS), $RUNS runs each, ${RUN_TIMEOUT}s cap per run"
  for run in $(seq "$RUNS"); do
    local -a order=()
    if (( run % 2 )); then
      order=("${NAMES[@]}")
    else
      for ((i = ${#NAMES[@]} - 1; i >= 0; i--)); do order+=("${NAMES[i]}"); done
    fi
    for name in "${order[@]}"; do
      run_one "$name" "$run"
    done
    printf 'bench-download: %s run %d/%d:' "$scn" "$run" "$RUNS" >&2
    for name in "${NAMES[@]}"; do
      w=${WALL[$name]% }; w=${w##* }
      printf '  %s %.2fs' "$name" "$w" >&2
    done
    printf '\n' >&2
  done
  clean_out
  stop_nginx
  report "$scn"
}

RUN_TIMEOUT_OPT=$RUN_TIMEOUT
[[ $NEED_TLS -eq 0 ]] || make_tls
note "model-manager-cli: $CLI (copied to $CLI_COPY); --connections: $(
  [[ $CLI_HAS_CONNECTIONS -eq 1 ]] && echo supported || echo "not supported")"
for scn in "${SCENARIOS[@]}"; do
  run_scenario "$scn"
done
