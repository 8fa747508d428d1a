#!/usr/bin/env bash
# tests/bench-ui-rows.sh — does the window stay responsive with twenty downloads in the panel?
#
# A benchmark, not part of the test suite. It runs the app under its own Xvfb display against
# the mock Hub with a throttled CDN, twice for the same number of seconds:
#   idle   the Downloads view, empty
#   busy   twenty queued quantizations in the Downloads view, eight of them downloading at once
#          (max-concurrent 8, the highest the settings allow), rows updating ten times a second
#   segmented  two big split quantizations (Giant-70B Q4_K_M and Q8_0, 20+ GB parts)
#          downloading at once over 8 connections each, every connection capped at 16 MiB/s
#          by the mock's CDN (256 MiB/s together): sixteen transfer threads writing, two
#          hashers, and the main loop turning it into rows
# With MM_BENCH_MAIN_LOOP=1 the app serves a 10 ms timer and reports how late each tick ran:
# the time a click or key press would wait before the window reacts. The script prints the
# median of the per-window medians, p99 and maximum for both runs side by side.
#
# Usage: tests/bench-ui-rows.sh [--seconds N] [--builddir DIR]
#
# SPDX-FileCopyrightText: 2026 Model Manager developers
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$top/_build
seconds=20
while [ $# -gt 0 ]; do
  case $1 in
    --seconds) seconds=$2; shift 2 ;;
    --builddir) build=$(cd "$2" && pwd); shift 2 ;;
    *) echo "usage: $0 [--seconds N] [--builddir DIR]" >&2; exit 2 ;;
  esac
done
[ -x "$build/src/app/model-manager" ] || { echo "build first: build-aux/dev test (or ninja -C $build)" >&2; exit 1; }

work=$(mktemp -d /tmp/mm-bench-ui.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; [ -n "${MM_BENCH_KEEP:-}" ] || rm -rf "$work"' EXIT

# One session: display + D-Bus, so --download reaches the running instance.
run_session () {  # $1 = idle|busy
  local mode=$1
  cat > "$work/session.sh" <<EOS
#!/usr/bin/env bash
set -u
export HOME=$work/home-$mode XDG_CONFIG_HOME=$work/config-$mode XDG_DATA_HOME=$work/data-$mode
mkdir -p "\$HOME" "\$XDG_CONFIG_HOME/glib-2.0/settings" "\$XDG_DATA_HOME"
printf '[io/github/modelmanager/ModelManager]\nmax-concurrent=8\nconnections=8\ndownload-folder=%s\nfirst-run-done=true\n' \
  "'$work/models-$mode'" > "\$XDG_CONFIG_HOME/glib-2.0/settings/keyfile"
export GSETTINGS_BACKEND=keyfile GSETTINGS_SCHEMA_DIR=$build/data MM_TOKEN_STORE=memory
export MM_WINDOW_SIZE=1100x760 MM_TEST_FREE_SPACE=1000000000000000 MM_BENCH_MAIN_LOOP=1
# The mock's files are made up and tens of GB each: write what comes, reserve nothing.
export MM_TEST_SPARSE_PARTIALS=1
export NO_AT_BRIDGE=1 GIO_USE_PROXY_RESOLVER=dummy
# Xvfb has no GPU: GTK would render with llvmpipe, whose threads then fight the
# transfers for the two cores (the main thread waits on them in gsk_renderer_render).
# Cairo draws on the main thread, as the test suite does.
export GSK_RENDERER=${GSK_RENDERER:-cairo}
cdn_rate=1500000
[ $mode = segmented ] && cdn_rate=16777216
nice -n 10 $build/tests/mm-mock-hub --cdn-rate \$cdn_rate > $work/mock.out 2>/dev/null &
mock=\$!
for i in \$(seq 50); do [ -s $work/mock.out ] && break; sleep 0.1; done
export \$(head -1 $work/mock.out)
$build/src/app/model-manager 2> $work/app-$mode.log &
app=\$!
sleep 3
if [ $mode = segmented ]; then
  $build/src/app/model-manager --download big-org/Giant-70B-GGUF Q4_K_M
  $build/src/app/model-manager --download big-org/Giant-70B-GGUF Q8_0
fi
if [ $mode = busy ]; then
  for repo in \$($build/src/cli/model-manager-cli search filler --limit 10 --json |
                 python3 -c 'import json,sys; print(" ".join(m["id"] for m in json.load(sys.stdin)))'); do
    $build/src/app/model-manager --download "\$repo" Q4_K_M
    $build/src/app/model-manager --download "\$repo" Q5_K_M
  done
fi
gapplication action io.github.modelmanager.ModelManager show-downloads
sleep $seconds
import -window root $work/$mode.png 2>/dev/null || true
kill \$app \$mock
wait \$app 2>/dev/null
EOS
  chmod +x "$work/session.sh"
  xvfb-run -a -s '-screen 0 1100x760x24' dbus-run-session -- "$work/session.sh" > /dev/null 2>&1 || true
}

summary () {  # $1 = log → "median-of-medians worst-p99 max windows"
  local lines med
  lines=$(grep '^main-loop-probe:' "$1" | tail -n +2 || true)
  [ -n "$lines" ] || { echo "— — — 0"; return; }
  med=$(awk '{ print $7 }' <<<"$lines" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
  awk -v med="$med" '{ p = ($10 > p ? $10 : p); m = ($13 > m ? $13 : m) }
    END { printf "%.1f %.1f %.1f %d\n", med, p, m, NR }' <<<"$lines"
}

echo "bench-ui-rows: $seconds s per run, builddir $build" >&2
run_session idle
run_session busy
run_session segmented

read -r i_med i_p99 i_max i_n <<<"$(summary "$work/app-idle.log")"
read -r b_med b_p99 b_max b_n <<<"$(summary "$work/app-busy.log")"
read -r s_med s_p99 s_max s_n <<<"$(summary "$work/app-segmented.log")"
rows=$(grep -c 'was added' "$work/app-busy.log" 2>/dev/null || true)

echo
echo "Main-loop lateness of a 10 ms timer (ms), 5-second windows after the first"
printf '  %-44s %8s %8s %8s %8s\n' "run" "median" "worst p99" "max" "windows"
printf '  %-44s %8s %8s %8s %8s\n' "idle: empty Downloads view" "$i_med" "$i_p99" "$i_max" "$i_n"
printf '  %-44s %8s %8s %8s %8s\n' "busy: 20 rows, 8 downloading (1.5 MB/s each)" "$b_med" "$b_p99" "$b_max" "$b_n"
printf '  %-44s %8s %8s %8s %8s\n' "segmented: 2 files × 8 connections, 256 MiB/s" "$s_med" "$s_p99" "$s_max" "$s_n"
written=$(find "$work/models-segmented" -name '*.part.json' -exec cat {} + 2>/dev/null |
          python3 -c 'import json,sys,re
docs = re.findall(r"\{.*?\}(?=\{|$)", sys.stdin.read(), re.S)
print(sum(e - s for d in docs for s, e in json.loads(d).get("ranges", [])) // 2**20)' || echo "?")
echo "  (segmented run: $written MiB downloaded by the end, as the partials' sidecars record)"
echo
echo "A reaction within about 50 ms feels instant; one frame at 60 Hz is 16.7 ms."
cp "$work/busy.png" /tmp/bench-ui-rows-busy.png 2>/dev/null && echo "Screenshot of the busy run: /tmp/bench-ui-rows-busy.png"
