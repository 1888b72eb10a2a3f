#!/usr/bin/env bash
# 100 jobs scheduled every minute: threads before and after, CPU between firings, and how late
# each firing's process starts after its minute. Usage: bench/jobs.sh [minutes] (default 3).
# Needs the image (./mvnw -B -q package -DskipTests). Writes bench/out/jobs/.
set -euo pipefail
minutes=${1:-3}
jobs=${JOBS:-100}
here=$(cd "$(dirname "$0")" && pwd)
carnival=${CARNIVAL:-$here/../carnival-dist/target/carnival/bin/carnival}
out=$here/out/jobs
rm -rf "$out"; mkdir -p "$out/runs"
cfg=$out/jobs.toml
: > "$cfg"
for i in $(seq 1 "$jobs"); do
  # Each run records when its process started (ns since the epoch), written then renamed.
  cat >> "$cfg" <<TOML
[[service]]
name = "job$i"
command = "sh"
args = ["-c", "t=\$(date +%s%N); echo \$t > $out/runs/.\$\$ && mv $out/runs/.\$\$ $out/runs/job$i.\$t"]
schedule = "* * * * *"

TOML
done
"$carnival" -c "$cfg" 2> "$out/carnival.log" &
pid=$!
trap 'kill -TERM $pid 2>/dev/null || true' EXIT
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
threads() { awk '/^Threads:/ {print $2}' "/proc/$pid/status"; }
# Start at second 5 of a minute, so the first reading falls between firings.
sleep $(( (65 - $(date +%-S)) % 60 ))
echo "threads before the first firing: $(threads)"
start=$(date +%s)
for m in $(seq 1 "$minutes"); do
  # From second 5 to second 55 of each minute no job fires: CPU there is idle cost.
  sleep $(( (65 - $(date +%-S)) % 60 ))
  a=$(ticks); sleep 50; b=$(ticks)
  echo "minute $m: threads $(threads), CPU ticks (1/100 s) from :05 to :55 with no firing: $((b - a))"
done
sleep $(( (65 - $(date +%-S)) % 60 ))
echo "threads after: $(threads)"
kill -TERM $pid; wait $pid || true; trap - EXIT
# Lateness of each run: its start minus the minute it was due (runs started within 30 s of one).
ls "$out/runs" | awk -F. -v start="$start" '
  { t = $2 / 1e9; if (t < start) next; late = t - int(t / 60) * 60; if (late > 30) next;
    n++; sum += late; if (late > max) max = late; v[n] = late; if (late > 1) over++ }
  END { asort(v); printf "firings: %d, lateness of the process start after its minute: median %.3f s, p99 %.3f s, max %.3f s, over 1 s: %d\n",
        n, v[int((n + 1) / 2)], v[int(n * 0.99) > 0 ? int(n * 0.99) : 1], max, over + 0 }'
