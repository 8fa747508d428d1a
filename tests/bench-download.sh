#!/usr/bin/env bash
# tests/bench-download.sh — how fast and how cheaply does model-manager-cli download one
# big file, compared with curl doing the same transfer?
#
# This is a benchmark, not part of the test suite. It measures, on loopback only:
#
#   (1) model-manager-cli download bench/Big-GGUF <file> --dir OUT --json
#         the whole CLI path: model info from the "Hub", /resolve → 302 → "CDN",
#         streaming to <file>.part, SHA-256 (nettle), fsync, rename
#   (2) curl -s -o OUT/file CDN_URL          the same bytes straight from the CDN to a file
#   (2b) curl … && sync FILE                 the same, made durable as the CLI makes its file
#                                            (the CLI fsyncs before its rename; curl does not)
#   (3) curl -s CDN_URL | sha256sum          the same bytes hashed by coreutils (no file)
#
# Row (2) is the throughput reference (target: CLI ≥ 0.9 × curl -o); row (3) is the CPU
# reference, since the CLI both receives and hashes (target: CLI CPU ≤ curl|sha256sum CPU);
# and the CLI's peak RSS should stay under 32 MiB.
#
# Each command runs --runs times (default 5), the order alternating between runs, under
# GNU time (`/usr/bin/time -f … sh -c CMD`) and the table shows MEDIANS of:
#   wall s      elapsed time (bash $EPOCHREALTIME around the command)
#   MB/s        file size / wall, in 10^6 bytes per second
#   CPU s       user + system CPU of the wrapper's children (both curl and sha256sum in (3))
#   peak RSS    GNU time's %M: the largest maximum RSS of any single waited-for child, NOT
#               the sum (for (3) that is the bigger of curl and sha256sum)
#
# Set-up (all in a work dir, ${BENCH_DIR:-/var/tmp/mm-bench}, kept across runs):
#   - installs nginx-light (or nginx), curl, time and coreutils with apt-get when missing
#   - a test file of --size-gib GiB (default 2) of random data, made once, with its SHA-256
#     and the static model-info JSON
#   - its own nginx (foreground, own config/pid/logs/temp paths):
#       127.0.0.1:PORT   the "Hub":  /api/models/bench/Big-GGUF (any query) → the JSON,
#                                    /bench/Big-GGUF/resolve/<rev>/<path> → 302 to the CDN
#       127.0.0.2:PORT+1 the "CDN":  /files/<path>, sendfile on, native Range support
# Output goes to a tmpfs (/dev/shm/mm-bench-out) by default so that disk speed does not
# dominate; use --out DIR to measure a real disk (the dir is then created if needed and the
# benchmark's files in it removed on exit).
#
# Usage:
#   tests/bench-download.sh [--size-gib N] [--runs N] [--out DIR] [--port N]
#                           [--cli PATH] [--timeout SECONDS]
#
#   ninja -C _build && tests/bench-download.sh            # 2 GiB, 5 runs, tmpfs
#   tests/bench-download.sh --size-gib 4 --runs 3 --out /var/tmp/mm-bench-disk
#
# The machine this was written for has 2 cores and 24 GiB of RAM: a 2 GiB source file stays
# in the page cache, and a 2 GiB tmpfs output fits easily.
set -euo pipefail

# ---------------------------------------------------------------------------- options

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SOURCE_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)

SIZE_GIB=2
RUNS=5
OUT_DIR=/dev/shm/mm-bench-out
OUT_IS_DEFAULT=1
PORT=
CLI=$SOURCE_ROOT/_build/src/cli/model-manager-cli
RUN_TIMEOUT=          # seconds per command run; default derived from the size
WORK_DIR=${BENCH_DIR:-/var/tmp/mm-bench}

REPO=bench/Big-GGUF
FILE_NAME=Big-GGUF-Q4_K_M.gguf
REVISION=0123456789abcdef0123456789abcdef01234567   # the fake commit the Hub reports

die () { printf 'bench-download: error: %s\n' "$*" >&2; exit 1; }
note () { printf 'bench-download: %s\n' "$*" >&2; }

usage () {
  sed -n '/^# Usage:/,/^# The machine/p' "${BASH_SOURCE[0]}" | sed -e 's/^# \{0,1\}//' -e '$d'
}

is_uint () { [[ $1 =~ ^[0-9]+$ ]]; }

while [[ $# -gt 0 ]]; do
  case $1 in
    --size-gib) [[ $# -ge 2 ]] || die "--size-gib needs a value"; SIZE_GIB=$2; shift 2 ;;
    --runs)     [[ $# -ge 2 ]] || die "--runs needs a value"; RUNS=$2; shift 2 ;;
    --out)      [[ $# -ge 2 ]] || die "--out needs a value"; OUT_DIR=$2; OUT_IS_DEFAULT=0; shift 2 ;;
    --port)     [[ $# -ge 2 ]] || die "--port needs a value"; PORT=$2; shift 2 ;;
    --cli)      [[ $# -ge 2 ]] || die "--cli needs a value"; CLI=$2; shift 2 ;;
    --timeout)  [[ $# -ge 2 ]] || die "--timeout needs a value"; RUN_TIMEOUT=$2; shift 2 ;;
    -h|--help)  usage; exit 0 ;;
    *)          usage >&2; die "unknown argument: $1" ;;
  esac
done

if ! is_uint "$SIZE_GIB" || [[ $SIZE_GIB -lt 1 ]]; then
  die "--size-gib takes a whole number ≥ 1 (got '$SIZE_GIB')"
fi
if ! is_uint "$RUNS" || [[ $RUNS -lt 1 || $RUNS -gt 50 ]]; then
  die "--runs takes a number from 1 to 50 (got '$RUNS')"
fi
[[ -z $PORT ]] || { is_uint "$PORT" && [[ $PORT -ge 1024 && $PORT -le 65534 ]]; } ||
  die "--port takes a number from 1024 to 65534 (got '$PORT')"
[[ -z $RUN_TIMEOUT ]] || is_uint "$RUN_TIMEOUT" || die "--timeout takes seconds (got '$RUN_TIMEOUT')"
[[ $OUT_DIR = /* ]] || OUT_DIR=$PWD/$OUT_DIR
[[ $WORK_DIR = /* ]] || die "BENCH_DIR must be an absolute path (got '$WORK_DIR')"
case $OUT_DIR in /|/dev/shm|/tmp|/var/tmp|"$HOME") die "--out must be a directory of its own, not $OUT_DIR" ;; esac

SIZE_BYTES=$((SIZE_GIB * 1024 * 1024 * 1024))
# Even 50 MB/s finishes in time; anything slower is a hang, not a measurement.
: "${RUN_TIMEOUT:=$((60 + SIZE_BYTES / 50000000))}"

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
  { command -v sha256sum && command -v head && command -v stat; } >/dev/null || want+=(coreutils)
  command -v timeout >/dev/null || want+=(coreutils)
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

install_missing
[[ -n $NGINX ]] || die "nginx not found after installing it"
[[ -x /usr/bin/time ]] || die "/usr/bin/time (GNU time) not found after installing it"
[[ -x $CLI ]] || die "no model-manager-cli at $CLI: build it first (ninja -C $SOURCE_ROOT/_build) or pass --cli"

# ---------------------------------------------------------------------------- work dir

mkdir -p "$WORK_DIR"/{files,hub,nginx/tmp,cli,runs}
DATA=$WORK_DIR/files/$FILE_NAME
SHA_FILE=$WORK_DIR/files/$FILE_NAME.sha256
INFO_JSON=$WORK_DIR/hub/model-info.json
NGINX_PID=
OUT_CREATED=0
LOG_DIR=$WORK_DIR/runs

cleanup () {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -n $NGINX_PID ]] && kill -0 "$NGINX_PID" 2>/dev/null; then
    kill -TERM "$NGINX_PID" 2>/dev/null || true      # nginx's fast shutdown
    for _ in $(seq 50); do kill -0 "$NGINX_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$NGINX_PID" 2>/dev/null || true
    wait "$NGINX_PID" 2>/dev/null || true
  fi
  # Only what this script wrote under the output dir.
  rm -rf -- "${OUT_DIR:?}/bench" "${OUT_DIR:?}/curl-$FILE_NAME" 2>/dev/null || true
  [[ $OUT_CREATED -eq 0 ]] || rmdir -- "$OUT_DIR" 2>/dev/null || true
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Copy the CLI so a rebuild by someone else in the middle of the runs changes nothing
# (libmm-core is linked statically, so the binary stands alone).
cp -f -- "$CLI" "$WORK_DIR/cli/model-manager-cli"
CLI_COPY=$WORK_DIR/cli/model-manager-cli

have_bytes=$(stat -c %s -- "$DATA" 2>/dev/null || echo 0)
if [[ $have_bytes -ne $SIZE_BYTES ]]; then
  avail=$(df -P -B1 -- "$WORK_DIR" | awk 'NR == 2 { print $4 }')
  [[ $((avail + have_bytes)) -gt $((SIZE_BYTES + 256 * 1024 * 1024)) ]] ||
    die "not enough space in $WORK_DIR for a $SIZE_GIB GiB test file"
  note "making a $SIZE_GIB GiB test file of random bytes: $DATA"
  rm -f -- "$DATA" "$SHA_FILE"
  head -c "$SIZE_BYTES" /dev/urandom > "$DATA.tmp"
  [[ $(stat -c %s -- "$DATA.tmp") -eq $SIZE_BYTES ]] || die "short test file"
  mv -f -- "$DATA.tmp" "$DATA"
fi
# The hash is cached next to the file, keyed by its size and mtime.
stamp="$(stat -c '%s %Y' -- "$DATA")"
if [[ ! -s $SHA_FILE || $(sed -n 2p "$SHA_FILE") != "$stamp" ]]; then
  note "hashing the test file once"
  { sha256sum -- "$DATA" | cut -d' ' -f1; echo "$stamp"; } > "$SHA_FILE.tmp"
  mv -f -- "$SHA_FILE.tmp" "$SHA_FILE"
fi
SHA256=$(sed -n 1p "$SHA_FILE")
[[ $SHA256 =~ ^[0-9a-f]{64}$ ]] || die "bad cached hash in $SHA_FILE"

cat > "$INFO_JSON" <<EOF
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
HUB_URL=http://127.0.0.1:$PORT
CDN_URL=http://127.0.0.2:$CDN_PORT/files/$FILE_NAME

NGINX_CONF=$WORK_DIR/nginx/nginx.conf
cat > "$NGINX_CONF" <<EOF
# Written by tests/bench-download.sh; rewritten on every run.
daemon off;
master_process on;
worker_processes 1;
pid $WORK_DIR/nginx/nginx.pid;
error_log $WORK_DIR/nginx/error.log warn;
events { worker_connections 64; }
http {
  access_log $WORK_DIR/nginx/access.log;
  client_body_temp_path $WORK_DIR/nginx/tmp/client;
  proxy_temp_path $WORK_DIR/nginx/tmp/proxy;
  fastcgi_temp_path $WORK_DIR/nginx/tmp/fastcgi;
  uwsgi_temp_path $WORK_DIR/nginx/tmp/uwsgi;
  scgi_temp_path $WORK_DIR/nginx/tmp/scgi;
  default_type application/octet-stream;
  sendfile on;
  sendfile_max_chunk 0;
  tcp_nopush on;
  keepalive_timeout 10;

  server {   # the "Hub"
    listen 127.0.0.1:$PORT;
    # Model info, whatever the query string (?blobs=true).
    location = /api/models/$REPO {
      default_type application/json;
      alias $INFO_JSON;
    }
    # /resolve/<revision>/<path> answers with the CDN, on another host.
    location ~ ^/$REPO/resolve/[^/]+/(.+)\$ {
      return 302 http://127.0.0.2:$CDN_PORT/files/\$1;
    }
    location / { return 404; }
  }

  server {   # the "CDN"
    listen 127.0.0.2:$CDN_PORT;
    location /files/ {
      alias $WORK_DIR/files/;
    }
    location / { return 404; }
  }
}
EOF

"$NGINX" -t -q -p "$WORK_DIR/nginx" -e "$WORK_DIR/nginx/error.log" -c "$NGINX_CONF" ||
  die "nginx rejected $NGINX_CONF"
"$NGINX" -p "$WORK_DIR/nginx" -e "$WORK_DIR/nginx/error.log" -c "$NGINX_CONF" \
  >>"$WORK_DIR/nginx/stdout.log" 2>&1 &
NGINX_PID=$!

for _ in $(seq 100); do
  if curl -s -o /dev/null --max-time 2 "$HUB_URL/api/models/$REPO" &&
     curl -s -o /dev/null --max-time 2 -r 0-0 "$CDN_URL"; then
    break
  fi
  kill -0 "$NGINX_PID" 2>/dev/null || die "nginx exited; see $WORK_DIR/nginx/error.log"
  sleep 0.1
done

# Check the fake Hub before measuring anything.
info=$(curl -sf --max-time 5 "$HUB_URL/api/models/$REPO?blobs=true") || die "the Hub does not answer model info"
grep -q "\"$SHA256\"" <<<"$info" || die "the Hub's model info lacks the file's hash"
redir=$(curl -s -o /dev/null --max-time 5 -w '%{http_code} %{redirect_url}' \
             "$HUB_URL/$REPO/resolve/$REVISION/$FILE_NAME")
[[ $redir == "302 $CDN_URL" ]] || die "/resolve answered '$redir', not '302 $CDN_URL'"
range=$(curl -s -o /dev/null --max-time 5 -r 5-9 -w '%{http_code} %{size_download}' "$CDN_URL")
[[ $range == "206 5" ]] || die "the CDN does not serve ranges (got '$range')"

# ---------------------------------------------------------------------------- output dir

if [[ ! -d $OUT_DIR ]]; then
  mkdir -p -- "$OUT_DIR"
  OUT_CREATED=1
fi
OUT_FS=$(stat -f -c %T -- "$OUT_DIR")
out_avail=$(df -P -B1 -- "$OUT_DIR" | awk 'NR == 2 { print $4 }')
[[ $out_avail -gt $((SIZE_BYTES + 128 * 1024 * 1024)) ]] ||
  die "$OUT_DIR ($OUT_FS) has $((out_avail / 1048576)) MiB free; need $((SIZE_BYTES / 1048576 + 128))"
CLI_DEST=$OUT_DIR/$REPO/$FILE_NAME
CURL_DEST=$OUT_DIR/curl-$FILE_NAME

clean_out () {
  rm -rf -- "${OUT_DIR:?}/bench" "$CURL_DEST"
  # On a real disk, let the last run's writeback finish outside the timed part.
  sync -f -- "$OUT_DIR" 2>/dev/null || sync
}

# Warm the page cache, so every run reads the source from memory.
cat -- "$DATA" > /dev/null

# ---------------------------------------------------------------------------- running

NAMES=(cli curl_o curl_sync curl_sha)
declare -A LABEL=(
  [cli]="model-manager-cli download"
  [curl_o]="curl -s -o FILE"
  [curl_sync]="curl -s -o FILE && sync FILE"
  [curl_sha]="curl -s | sha256sum"
)
declare -A CMD=(
  [cli]="exec \"$CLI_COPY\" download $REPO $FILE_NAME --dir \"$OUT_DIR\" --json > \"$LOG_DIR/cli.json\" 2> \"$LOG_DIR/cli.stderr\""
  [curl_o]="exec curl -s -o \"$CURL_DEST\" \"$CDN_URL\""
  [curl_sync]="curl -s -o \"$CURL_DEST\" \"$CDN_URL\" && sync -- \"$CURL_DEST\""
  [curl_sha]="curl -s \"$CDN_URL\" | sha256sum > \"$LOG_DIR/pipe.sha256\""
)
declare -A WALL MBS CPU USR SYS RSS   # space-separated per-run values

run_one () {  # $1 = name, $2 = run number
  local name=$1 run=$2 tfile=$LOG_DIR/$1.time t0 t1 rc=0 line
  clean_out
  t0=$EPOCHREALTIME
  HF_ENDPOINT=$HUB_URL timeout -k 5 "$RUN_TIMEOUT" \
    /usr/bin/time -o "$tfile" -f '%e %U %S %M' sh -c "${CMD[$name]}" || rc=$?
  t1=$EPOCHREALTIME
  if [[ $rc -ne 0 ]]; then
    [[ $rc -ne 124 ]] || die "${LABEL[$name]} took more than ${RUN_TIMEOUT}s (run $run); raise --timeout"
    [[ $name != cli ]] || { cat "$LOG_DIR/cli.stderr" >&2 || true; }
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

  case $name in
    cli)
      [[ -f $CLI_DEST ]] || die "model-manager-cli exited 0 but $CLI_DEST does not exist"
      grep -q '"verified" *: *true' "$LOG_DIR/cli.json" ||
        die "model-manager-cli's JSON does not say verified: $(cat "$LOG_DIR/cli.json")"
      if [[ -z ${CLI_HASH_CHECKED:-} ]]; then
        got=$(sha256sum -- "$CLI_DEST" | cut -d' ' -f1)
        [[ $got == "$SHA256" ]] || die "model-manager-cli's file has SHA-256 $got, expected $SHA256"
        CLI_HASH_CHECKED=1
        note "model-manager-cli exited 0 and its file's SHA-256 matches ($got)"
      fi
      ;;
    curl_o|curl_sync)
      [[ $(stat -c %s -- "$CURL_DEST") -eq $SIZE_BYTES ]] || die "curl -o wrote a short file"
      ;;
    curl_sha)
      [[ $(cut -d' ' -f1 "$LOG_DIR/pipe.sha256") == "$SHA256" ]] ||
        die "curl | sha256sum printed a different hash (a short transfer?)"
      ;;
  esac
}

median () {  # "a b c …" (one string) → the median of those numbers
  tr -s ' ' '\n' <<<"$1" | grep . | sort -g | awk '{ v[NR] = $1 } END {
    if (NR % 2) printf "%.4f", v[(NR + 1) / 2]; else printf "%.4f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

note "model-manager-cli: $CLI (copied to $CLI_COPY)"
note "Hub $HUB_URL, CDN $CDN_URL, output $OUT_DIR ($OUT_FS), $RUNS runs each, ${RUN_TIMEOUT}s cap per run"
for run in $(seq "$RUNS"); do
  if (( run % 2 )); then order=(cli curl_o curl_sync curl_sha); else order=(curl_sha curl_sync curl_o cli); fi
  for name in "${order[@]}"; do
    run_one "$name" "$run"
  done
  printf 'bench-download: run %d/%d:' "$run" "$RUNS" >&2
  for name in "${NAMES[@]}"; do
    w=${WALL[$name]% }; w=${w##* }
    printf '  %s %.2fs' "$name" "$w" >&2
  done
  printf '\n' >&2
done
clean_out

# ---------------------------------------------------------------------------- report

declare -A M_WALL M_MBS M_CPU M_USR M_SYS M_RSS
for name in "${NAMES[@]}"; do
  M_WALL[$name]=$(median "${WALL[$name]}")
  M_MBS[$name]=$(median "${MBS[$name]}")
  M_CPU[$name]=$(median "${CPU[$name]}")
  M_USR[$name]=$(median "${USR[$name]}")
  M_SYS[$name]=$(median "${SYS[$name]}")
  M_RSS[$name]=$(median "${RSS[$name]}")
done

cpu_model=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
sha_ni=no; grep -qw sha_ni /proc/cpuinfo && sha_ni=yes
if [[ $OUT_IS_DEFAULT -eq 1 ]]; then out_kind="tmpfs default (disk speed excluded)"; else out_kind="--out, a real file system"; fi

echo
echo "Model Manager download benchmark"
printf '  file         %s, %d bytes (%d GiB) of random data, SHA-256 %.16s…\n' "$FILE_NAME" "$SIZE_BYTES" "$SIZE_GIB" "$SHA256"
printf '  source       %s (in page cache), served by nginx %s with sendfile\n' "$DATA" "$("$NGINX" -v 2>&1 | sed 's/.*\///')"
printf '  output       %s [%s; %s]\n' "$OUT_DIR" "$OUT_FS" "$out_kind"
printf '  machine      %s, %s cores, SHA extensions (sha_ni): %s, kernel %s\n' "$cpu_model" "$(nproc)" "$sha_ni" "$(uname -r)"
printf '  runs         %d of each, order alternating; medians below\n' "$RUNS"
echo
printf '  %-28s %8s %9s %9s %7s %7s %10s\n' "command" "wall s" "MB/s" "CPU s" "user" "sys" "peak RSS"
printf '  %-28s %8s %9s %9s %7s %7s %10s\n' "" "" "" "(u+s)" "" "" "MiB"
for name in "${NAMES[@]}"; do
  printf '  %-28s %8.3f %9.1f %9.2f %7.2f %7.2f %10.1f\n' "${LABEL[$name]}" \
    "${M_WALL[$name]}" "${M_MBS[$name]}" "${M_CPU[$name]}" "${M_USR[$name]}" "${M_SYS[$name]}" "${M_RSS[$name]}"
done
echo
echo "  CPU is user+sys of everything under the 'sh -c' wrapper (curl and sha256sum together in"
echo "  the last row). Peak RSS is GNU time's %M: the largest single child's max RSS, not a sum."
echo "  MB/s = 10^6 bytes/s from wall time. model-manager-cli's wall time includes the model-info"
echo "  request, the redirect, fsync and rename."
echo

verdict () {  # $1 = a numeric awk condition built from our own figures
  if awk "BEGIN { exit !($1) }"; then echo "OK"; else echo "MISSED"; fi
}
tp_ratio=$(awk -v a="${M_MBS[cli]}" -v b="${M_MBS[curl_o]}" 'BEGIN { printf "%.3f", a / b }')
cpu_ratio=$(awk -v a="${M_CPU[cli]}" -v b="${M_CPU[curl_sha]}" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }')
cpu_ratio_o=$(awk -v a="${M_CPU[cli]}" -v b="${M_CPU[curl_o]}" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }')
echo "Targets"
printf '  throughput  model-manager-cli / curl -o          %6.3f×   (target ≥ 0.9)   %s\n' \
  "$tp_ratio" "$(verdict "$tp_ratio >= 0.9")"
printf '  CPU         model-manager-cli / curl|sha256sum   %6.3f×   (target ≤ 1.0)   %s\n' \
  "$cpu_ratio" "$(verdict "$cpu_ratio <= 1.0")"
printf '              (model-manager-cli / curl -o alone    %6.3f×, for reference)\n' "$cpu_ratio_o"
tp_sync=$(awk -v a="${M_MBS[cli]}" -v b="${M_MBS[curl_sync]}" 'BEGIN { printf "%.3f", a / b }')
printf '  durable     model-manager-cli / curl -o + sync   %6.3f×   (both on disk when they end; for reference)\n' "$tp_sync"
printf '  peak RSS    model-manager-cli                    %6.1f MiB (target < 32)   %s\n' \
  "${M_RSS[cli]}" "$(verdict "${M_RSS[cli]} < 32")"
echo
echo "Per-run values (s / s / MiB) are in the order the runs happened:"
for name in "${NAMES[@]}"; do
  printf '  %-28s wall: %s MB/s: %s\n' "${LABEL[$name]}" "${WALL[$name]}" "${MBS[$name]}"
  printf '  %-28s cpu:  %s  rss: %s\n' "" "${CPU[$name]}" "${RSS[$name]}"
done
