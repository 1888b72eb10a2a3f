#!/usr/bin/env bash
# 100 jobs scheduled every minute: threads before and after, CPU between firings, and how late
# each firing's process starts after its minute. Usage: bench/jobs.sh [minutes] (default 3).
# Needs the image (./mvnw -B -q package -DskipTests). Writes bench/out/jobs/.
set -euo pipefail
minutes=${1:-3}
jobs=${JOBS:-100}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
results_begin jobs "minutes=$minutes jobs=$jobs"
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
sleep 5
t0=$(threads)
echo "threads 5 s after start: $t0"
result threads_at_start "threads 5 s after start" "$t0" threads
start=$(date +%s)
for m in $(seq 1 "$minutes"); do
  # From second 5 to second 55 of each minute no job fires: CPU there is idle cost.
  sleep $(( (65 - $(date +%-S)) % 60 ))
  a=$(ticks); sleep 50; b=$(ticks)
  echo "minute $m: threads $(threads), CPU ticks (1/100 s) from :05 to :55 with no firing: $((b - a))"
  result idle_ticks_$m "CPU ticks (1/100 s) from :05 to :55 of minute $m, no firing" "$((b - a))" ticks
done
sleep $(( (65 - $(date +%-S)) % 60 ))
t1=$(threads)
echo "threads after: $t1"
result threads_after "threads after the last firing" "$t1" threads "" "$t0"
kill -TERM $pid; wait $pid || true; trap - EXIT
# Lateness of each run: its process's start minus the minute it was due (within 30 s of one).
ls "$out/runs" | awk -F. -v start="$start" '{ t = $2 / 1e9; late = t - int(t / 60) * 60;
    if (t >= start - 5 && late <= 30) printf "%d %.6f\n", int(t / 60), late }' | sort -k2 -n > "$out/lateness"
awk '{ n++; v[n] = $2; if ($2 > 1) over++; m[$1]++ }
  END { k = 0; for (x in m) k++;
        printf "firings: %d in %d minutes; process start after its minute: median %.3f s, p99 %.3f s, max %.3f s; over 1 s: %d\n",
               n, k, v[int((n + 1) / 2)], v[int(n * 0.99) > 0 ? int(n * 0.99) : 1], v[n], over + 0 }' "$out/lateness"
late() { awk -v q="$1" '{ v[NR] = $2 } END { i = q == "max" ? NR : int(NR * q); if (i < 1) i = 1; print v[i] }' "$out/lateness"; }
result firings "firings measured" "$(wc -l < "$out/lateness")" count
result late_median "process start after its minute" "$(late 0.5)" s median
result late_p99 "process start after its minute" "$(late 0.99)" s p99
result late_max "process start after its minute" "$(late max)" s max "" "" "<= 1 s"
results_end
