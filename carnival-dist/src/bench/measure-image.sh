#!/bin/sh
# Measures the built image (not run by the build; numbers depend on the machine and its load):
#   start-to-exit of `carnival -c one-true-service.toml` (hyperfine, median and min),
#   image, AOT cache and tarball sizes, and the idle supervisor's memory with 10 `sleep 1000`
#   services (VmRSS / RssAnon / RssFile from /proc/PID/status).
# Usage: carnival-dist/src/bench/measure-image.sh [IMAGE_DIR] [RUNS]
#   IMAGE_DIR defaults to carnival-dist/target/carnival. Extra JVM flags to compare: set
#   CARNIVAL_JAVA_OPTS as usual. Needs hyperfine (apt-get install hyperfine) and python3.
set -eu
dist=$(CDPATH='' cd -- "$(dirname -- "$0")/../.." && pwd)
img=${1:-$dist/target/carnival}
runs=${2:-60}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat > "$work/one-true.toml" <<'TOML'
[[service]]
name = "one"
command = "true"
TOML
cat > "$work/idle10.toml" <<'TOML'
[[service]]
name = "sleeper"
command = "sleep"
args = ["1000"]
replicas = 10
TOML

echo "machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "image:   $(du -sb "$img" | cut -f1) bytes ($(du -sm "$img" | cut -f1) MiB on disk), AOT cache $(stat -c %s "$img/lib/carnival.aot") bytes"
for t in "$dist"/target/carnival-*-linux-*.tar.gz; do
  [ -f "$t" ] && echo "tarball: $(stat -c %s "$t") bytes  $(basename "$t")"
done

hyperfine -N --warmup 5 --runs "$runs" --export-json "$work/start.json" \
  "$img/bin/carnival -c $work/one-true.toml" >/dev/null 2>&1
python3 - "$work/start.json" <<'PY'
import json, statistics, sys
r = json.load(open(sys.argv[1]))["results"][0]
t = sorted(r["times"])
print("start-to-exit, one `true` service: median %.1f ms, min %.1f ms, mean %.1f ms (user %.1f, sys %.1f), %d runs"
      % (statistics.median(t) * 1e3, t[0] * 1e3, r["mean"] * 1e3, r["user"] * 1e3, r["system"] * 1e3, len(t)))
PY

"$img/bin/carnival" -l warn -c "$work/idle10.toml" & pid=$!
i=0
while n=$(pgrep -c -P "$pid" sleep); [ "${n:-0}" -lt 10 ] && [ $i -lt 500 ]; do sleep 0.02; i=$((i + 1)); done
# Steady state: after the launcher's first native-heap trim (-XX:TrimNativeHeapInterval=5000).
sleep 12
echo "idle with 10 sleep services: $(grep -E '^(VmRSS|RssAnon|RssFile|Threads)' /proc/$pid/status | tr -s ' \t' ' ' | tr '\n' ' ')"
kill -TERM "$pid"
wait "$pid" 2>/dev/null && echo "SIGTERM: exit 0" || echo "SIGTERM: exit $?"
