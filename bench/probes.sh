#!/bin/sh
# Probe cost: 1000 replicas of `sleep` with a readiness probe each at 1 s, tcp and exec, against
# the same replicas without probes and the C spawn loop. Not part of CI.
#   mvn -B -q package -DskipTests      # from the repository root, once
#   bench/probes.sh                    # REPLICAS= (1000), SECONDS_MEASURED= (10)
# Needs gcc, pgrep, python3 (the tcp listener), and JAVA_HOME pointing at a JDK 25.
set -eu

here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd -P)
root=$(dirname -- "$here")
carnival=${CARNIVAL:-$root/carnival-dist/target/carnival/bin/carnival}
out=$here/out/probes
replicas=${REPLICAS:-1000}
measured=${SECONDS_MEASURED:-10}

if [ ! -x "$carnival" ]; then
  echo "bench: $carnival not found; build it first: mvn -B -q package -DskipTests" >&2
  exit 2
fi
mkdir -p "$out"
gcc -O2 -Wall -o "$out/spawn_loop" "$here/spawn_loop.c"

now_ns() { date +%s%N; }
status_kib() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
children() { pgrep -c -P "$1" || true; }
# utime+stime and cutime+cstime (reaped children: the exec probes), in clock ticks.
cpu_self() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }
cpu_children() { awk '{ sub(/^.*\) /, ""); print $14 + $15 }' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
fail() { echo "bench: $1; see $2" >&2; exit 1; }

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
  awk -v n="$1" -v s="$((s1 - s0))" -v c="$((c1 - c0))" -v t="$((t1 - t0))" -v hz="$hz" -v th="$threads" \
      -v rss="$rss" -v anon="$anon" -v ready="$ready" 'BEGIN {
    sec = t / 1e9
    printf "%-6s threads %3d  VmRSS %6.1f MiB  RssAnon %6.1f MiB  CPU %5.0f ms/s (+ %4.0f ms/s in probe processes)  %s ready\n",
      n, th, rss / 1024, anon / 1024, s * 1000 / hz / sec, c * 1000 / hz / sec, ready }'
}

echo "$replicas replicas of sleep; readiness probe every 1000 ms; CPU over ${measured} s after 5 s of warm-up"
measure none
measure tcp
measure exec
# The C loop's CPU (its own and its reaped children's): what one second of exec probes costs at the least.
python3 - "$out/spawn_loop" "$replicas" <<'PY'
import resource, subprocess, sys
wall = subprocess.run(sys.argv[1:], capture_output=True, text=True, check=True).stdout.strip()
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print("C loop: %s x posix_spawnp + waitpid of true: %s ms wall, CPU %.0f ms (loop and children)"
      % (sys.argv[2], wall, (r.ru_utime + r.ru_stime) * 1000))
PY
