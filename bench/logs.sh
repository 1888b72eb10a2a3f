#!/usr/bin/env bash
# Issue 26's performance rows:
#  1. resource sampling: 1000 replicas of `sleep 1000`, resource-period-ms = 5000 against 0; the
#     supervisor's own CPU per second (utime+stime) over MEASURE_S seconds after SETTLE_S, its
#     threads and VmRSS (target: sampling costs <= 10 ms of CPU per second, threads unchanged);
#  2. the buffers: the same 1000 replicas with output = "prefix" and the default buffer, plus one
#     chatty service writing lines as fast as it can: VmRSS after MEASURE_S seconds;
#  3. `carnival logs -f`: a service writes its clock (ns) every 100 ms; the client's stdout is read
#     by python3, which stamps each line on arrival; median and p90 of the difference over
#     LINES lines (target: median <= 50 ms).
#   bench/logs.sh          # CARNIVAL=/path/to/bin/carnival to measure another build
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
carnival=${CARNIVAL:-$root/carnival-dist/target/carnival/bin/carnival}
[ -x "$carnival" ] || { echo "$carnival not found; build first: ./mvnw -B -q package -DskipTests" >&2; exit 1; }
out=$root/bench/out/logs
mkdir -p "$out"
settle=${SETTLE_S:-8}
measure=${MEASURE_S:-20}
lines=${LINES:-100}
tck=$(getconf CLK_TCK)

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
status_field() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"; }

supervisor() { # config -> "cpu_ms_per_s threads vmrss_kib" on stdout
  "$carnival" -l warn -c "$1" > /dev/null 2>&1 &
  local pid=$! t0 t1
  sleep "$settle"
  t0=$(cpu_ticks $pid)
  sleep "$measure"
  t1=$(cpu_ticks $pid)
  echo "$(( (t1 - t0) * 1000 / tck / measure )) $(status_field $pid Threads) $(status_field $pid VmRSS)"
  kill -TERM $pid
  wait $pid || true
}

replicas() { # period output extra -> a config
  printf '[global]\nresource-period-ms = %s\n[[service]]\nname = "s"\ncommand = "sleep"\nargs = ["1000"]\nreplicas = 1000\noutput = "%s"\n%s' \
    "$1" "$2" "$3"
}

replicas 5000 inherit "" > "$out/sampled.toml"
replicas 0 inherit "" > "$out/unsampled.toml"
replicas 5000 prefix '[[service]]
name = "chatty"
command = "sh"
args = ["-c", "while :; do echo chatty line with some words in it to fill the buffer up; done"]
output = "prefix"
' > "$out/chatty.toml"

read -r cpu0 threads0 rss0 < <(supervisor "$out/unsampled.toml")
read -r cpu1 threads1 rss1 < <(supervisor "$out/sampled.toml")
read -r cpu2 threads2 rss2 < <(supervisor "$out/chatty.toml")

printf '[[service]]\nname = "clock"\ncommand = "sh"\nargs = ["-c", "while :; do date +%%s%%N; sleep 0.1; done"]\noutput = "raw"\n' > "$out/clock.toml"
socket=$out/c.sock
rm -f "$socket"
CARNIVAL_CONTROL_SOCKET=$socket "$carnival" -l warn -c "$out/clock.toml" > /dev/null 2>&1 &
sup=$!
for _ in $(seq 100); do [ -S "$socket" ] && break; sleep 0.1; done
rm -f "$out/latency.txt"
# The client ends when the supervisor does (or, with a Carnival whose client notices a closed
# stdout, when python3 has had enough); python3 writes its result once it has LINES lines.
( "$carnival" logs -f -n 0 clock --socket "$socket" | python3 -c '
import sys, time
d = []
for line in sys.stdin:
    now = time.time_ns()
    d.append((now - int(line.rsplit(" ", 1)[1])) / 1e6)
    if len(d) == '"$lines"':
        break
d.sort()
print("%.1f %.1f %.1f" % (d[len(d) // 2], d[int(len(d) * 0.9)], d[-1]))
' > "$out/latency.tmp" && mv "$out/latency.tmp" "$out/latency.txt" ) &
pipe=$!
for _ in $(seq 1200); do [ -s "$out/latency.txt" ] && break; sleep 0.1; done
kill -TERM $sup
wait $sup || true
wait $pipe || true
latency=$(cat "$out/latency.txt" 2>/dev/null || echo "- - -")

printf '%-64s %s\n' "measure" "result"
printf '%-64s %s\n' "----------------------------------------------------------------" "--------------------"
printf '%-64s %s ms/s, %s threads, VmRSS %s KiB\n' "1000 replicas, sampling off: supervisor CPU, threads, VmRSS" "$cpu0" "$threads0" "$rss0"
printf '%-64s %s ms/s, %s threads, VmRSS %s KiB\n' "1000 replicas, sampled every 5 s" "$cpu1" "$threads1" "$rss1"
printf '%-64s %s ms/s\n' "sampling's cost (difference; target <= 10)" "$((cpu1 - cpu0))"
printf '%-64s %s ms/s, %s threads, VmRSS %s KiB\n' "1000 prefix replicas, default buffer, one chatty service" "$cpu2" "$threads2" "$rss2"
printf '%-64s %s ms (p90, max: %s)\n' "logs -f: line written to line printed, median of $lines" "${latency%% *}" "${latency#* }"
