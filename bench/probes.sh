#!/bin/sh
# Probe cost: 1000 replicas of `sleep` with a readiness probe each at 1 s, tcp and exec, against
# the same replicas without probes and the C spawn loop. Not part of CI.
#   ./mvnw -B -q package -DskipTests   # from the repository root, once
#   bench/probes.sh                    # REPLICAS= (1000), SECONDS_MEASURED= (10)
# Needs gcc, pgrep and python3 (the tcp listener). Writes bench/results/<time>-probes.tsv.
set -eu

here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd -P)
. "$here/lib.sh"
out=$here/out/probes
replicas=${REPLICAS:-1000}
measured=${SECONDS_MEASURED:-10}

need_carnival
mkdir -p "$out"
gcc -O2 -Wall -o "$out/spawn_loop" "$here/spawn_loop.c"
results_begin probes "replicas=$replicas seconds_measured=$measured"

# utime+stime and cutime+cstime (reaped children: the exec probes), in clock ticks.
cpu_self() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }
cpu_children() { awk '{ sub(/^.*\) /, ""); print $14 + $15 }' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)

# A listener that accepts and closes every connection, on a free port (told through a fresh port file).
rm -f "$out/port"
python3 - "$out/port" <<'PY' &
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0)); s.listen(1024)
open(sys.argv[1], "w").write(str(s.getsockname()[1]) + "\n")
while True:
    c, _ = s.accept(); c.close()
PY
listener=$!
trap 'kill "$listener" 2>/dev/null || true' EXIT
while [ ! -s "$out/port" ]; do sleep 0.05; done
port=$(cat "$out/port")

config() { # name, probe table lines
  {
    printf '[[service]]\nname = "s"\ncommand = "sleep"\nargs = ["1000"]\nreplicas = %s\n' "$replicas"
    if [ -n "$2" ]; then printf '[service.readiness]\n%s\nperiod-ms = 1000\n' "$2"; fi
  } > "$out/$1.toml"
}
config none ""
config tcp "tcp = \"127.0.0.1:$port\""
config exec 'exec = ["true"]'

measure() { # name -> one result line
  "$carnival" -c "$out/$1.toml" > "$out/$1.log" 2>&1 &
  pid=$!
  deadline=$(( $(now_ns) + 60000000000 ))
  while [ "$(children "$pid")" -lt "$replicas" ]; do
    if [ "$(now_ns)" -gt "$deadline" ] || ! kill -0 "$pid" 2>/dev/null; then
      kill -KILL "$pid" 2>/dev/null || true
      fail "only $(children "$pid") of $replicas replicas running" "$out/$1.log"
    fi
    sleep 0.05
  done
  sleep 5 # start-up and the first checks behind us
  s0=$(cpu_self "$pid"); c0=$(cpu_children "$pid"); t0=$(now_ns)
  sleep "$measured"
  s1=$(cpu_self "$pid"); c1=$(cpu_children "$pid"); t1=$(now_ns)
  threads=$(status_kib "$pid" Threads); rss=$(status_kib "$pid" VmRSS); anon=$(status_kib "$pid" RssAnon)
  ready=$(grep -c 'is ready' "$out/$1.log" || true)
  kill -TERM "$pid"; wait "$pid" || true
  cpu=$(awk -v s="$((s1 - s0))" -v t="$((t1 - t0))" -v hz="$hz" 'BEGIN { printf "%.0f", s * 1000 / hz / (t / 1e9) }')
  cpu_probes=$(awk -v c="$((c1 - c0))" -v t="$((t1 - t0))" -v hz="$hz" 'BEGIN { printf "%.0f", c * 1000 / hz / (t / 1e9) }')
  printf '%-6s threads %3d  VmRSS %6.1f MiB  RssAnon %6.1f MiB  CPU %5s ms/s (+ %4s ms/s in probe processes)  %s ready\n' \
    "$1" "$threads" "$(mib "$rss")" "$(mib "$anon")" "$cpu" "$cpu_probes" "$ready"
  result "probes_$1_threads" "$replicas replicas, probe $1: supervisor threads" "$threads" "" "" "" "" 40
  result "probes_$1_rss" "$replicas replicas, probe $1: VmRSS" "$(mib "$rss")" MiB
  result "probes_$1_anon" "$replicas replicas, probe $1: RssAnon" "$(mib "$anon")" MiB
  result "probes_$1_cpu" "$replicas replicas, probe $1: supervisor CPU" "$cpu" "ms/s" "over $measured s"
  result "probes_$1_cpu_children" "$replicas replicas, probe $1: CPU of probe processes" "$cpu_probes" "ms/s" "over $measured s"
  result "probes_$1_ready" "$replicas replicas, probe $1: replicas logged ready" "$ready" ""
}

echo "$replicas replicas of sleep; readiness probe every 1000 ms; CPU over ${measured} s after 5 s of warm-up"
measure none
measure tcp
measure exec
# The C loop's CPU (its own and its reaped children's): what one second of exec probes costs at the least.
c_loop=$(python3 - "$out/spawn_loop" "$replicas" <<'PY'
import resource, subprocess, sys
wall = subprocess.run(sys.argv[1:], capture_output=True, text=True, check=True).stdout.strip()
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print("%s %.0f" % (wall, (r.ru_utime + r.ru_stime) * 1000))
PY
)
echo "C loop: $replicas x posix_spawnp + waitpid of true: ${c_loop% *} ms wall, CPU ${c_loop#* } ms (loop and children)"
result c_loop "C loop: $replicas x posix_spawnp + waitpid" "${c_loop% *}" ms
result c_loop_cpu "C loop: CPU, loop and children" "${c_loop#* }" ms
results_end
