#!/bin/sh
# Carnival benchmark: real carnival binary against a C baseline. Not part of CI.
#   mvn -B -q package -DskipTests      # from the repository root, once
#   bench/run.sh [runs]                # runs: repetitions for row 1 (default 11)
# Needs gcc, pgrep, and JAVA_HOME pointing at a JDK 25 (or java 25 on PATH).
set -eu

here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd -P)
root=$(dirname -- "$here")
carnival=${CARNIVAL:-$root/carnival-dist/target/carnival/bin/carnival}
out=$here/out
runs=${1:-11}
replicas=${REPLICAS:-1000}
restarts=${RESTARTS:-1000}
rounds=${ROUNDS:-5}

if [ ! -x "$carnival" ]; then
  echo "bench: $carnival not found; build it first: mvn -B -q package -DskipTests" >&2
  exit 2
fi
mkdir -p "$out"
gcc -O2 -Wall -o "$out/spawn_loop" "$here/spawn_loop.c"

now_ns() { date +%s%N; }
ms_since() { echo "$(( ($(now_ns) - $1) / 1000 ))" | awk '{ printf "%.1f\n", $1 / 1000 }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
status_kib() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
children() { pgrep -c -P "$1" || true; }

# ---- 1: start to exit, one service `true`, restart "no" ----
cat > "$out/one.toml" <<'TOML'
[[service]]
name = "s"
command = "true"
restart = "no"
TOML
fail() { echo "bench: $1; see $2" >&2; exit 1; }
"$carnival" -c "$out/one.toml" > "$out/one.log" 2>&1 || fail "carnival failed" "$out/one.log" # also warms the page cache
i=0
: > "$out/one.times"
while [ "$i" -lt "$runs" ]; do
  t=$(now_ns)
  "$carnival" -c "$out/one.toml" >> "$out/one.log" 2>&1 || fail "carnival failed" "$out/one.log"
  ms_since "$t" >> "$out/one.times"
  i=$((i + 1))
done
start_exit=$(median < "$out/one.times")

# ---- 2: restarts of `true` against posix_spawn+waitpid from C ----
cat > "$out/restarts.toml" <<TOML
[[service]]
name = "s"
command = "true"
restart = "always"
restart-delay-ms = 0
restart-limit = $restarts
TOML
# RESTART_USER=nobody (as root): the same restarts, each process spawned as that user.
if [ -n "${RESTART_USER:-}" ]; then
  echo "user = \"$RESTART_USER\"" >> "$out/restarts.toml"
fi
# Alternated, so that both sides see the same machine; medians of $rounds rounds.
: > "$out/restarts.times"
: > "$out/c.times"
i=0
while [ "$i" -lt "$rounds" ]; do
  t=$(now_ns)
  "$carnival" -c "$out/restarts.toml" > "$out/restarts.log" 2>&1 || fail "carnival failed" "$out/restarts.log"
  ms_since "$t" >> "$out/restarts.times"
  "$out/spawn_loop" "$restarts" >> "$out/c.times"
  i=$((i + 1))
done
restarts_ms=$(median < "$out/restarts.times")
runs_seen=$(grep -c 'started with PID' "$out/restarts.log" || true)
c_ms=$(median < "$out/c.times")
ratio=$(awk -v a="$restarts_ms" -v b="$c_ms" 'BEGIN { printf "%.2f", a / b }')
ratio_net=$(awk -v a="$restarts_ms" -v s="$start_exit" -v b="$c_ms" 'BEGIN { printf "%.2f", (a - s) / b }')

# ---- 3: replicas of `sleep 1000`: time to all running, memory, threads, SIGTERM to exit ----
cat > "$out/replicas.toml" <<TOML
[[service]]
name = "s"
command = "sleep"
args = ["1000"]
replicas = $replicas
TOML
t=$(now_ns)
"$carnival" -c "$out/replicas.toml" > "$out/replicas.log" 2>&1 &
pid=$!
deadline=$(( $(now_ns) + 60000000000 ))
while [ "$(children "$pid")" -lt "$replicas" ]; do
  if [ "$(now_ns)" -gt "$deadline" ] || ! kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid" 2>/dev/null || true
    fail "only $(children "$pid") of $replicas replicas running" "$out/replicas.log"
  fi
  sleep 0.02 # a busy pgrep loop steals a core from the supervisor and triples this time
done
running_ms=$(ms_since "$t")
# Let start-up garbage settle into steady state before measuring memory.
sleep 1
rss=$(status_kib "$pid" VmRSS)
anon=$(status_kib "$pid" RssAnon)
threads=$(status_kib "$pid" Threads)
# Steady state: start-up leftovers (the JIT's pooled arenas, freed malloc memory) are given back
# after 5 s (the launcher's -XX:TrimNativeHeapInterval=5000).
sleep 11
rss_late=$(status_kib "$pid" VmRSS)
anon_late=$(status_kib "$pid" RssAnon)
t=$(now_ns)
kill -TERM "$pid"
wait "$pid" || true
term_ms=$(ms_since "$t")


mib() { awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'; }
printf '\n%-58s %s\n' "measure" "result"
printf '%-58s %s\n' "----------------------------------------------------------" "------------------------------"
printf '%-58s %s ms (median of %s)\n' "1. start to exit, one service \`true\`" "$start_exit" "$runs"
printf '%-58s %s ms (median of %s; %s runs logged)\n' "2. $restarts restarts of \`true\` (whole carnival run)" "$restarts_ms" "$rounds" "$runs_seen"
printf '%-58s %s ms (median of %s)\n' "   C loop: $restarts x posix_spawnp + waitpid" "$c_ms" "$rounds"
printf '%-58s %sx (%sx without start-up)\n' "   ratio carnival / C" "$ratio" "$ratio_net"
printf '%-58s %s ms\n' "3. $replicas replicas of \`sleep 1000\`: all running after" "$running_ms"
printf '%-58s %s (RssAnon %s)\n' "   supervisor VmRSS, 1 s after all running" "$(mib "$rss")" "$(mib "$anon")"
printf '%-58s %s (RssAnon %s)\n' "   supervisor VmRSS, 12 s after all running" "$(mib "$rss_late")" "$(mib "$anon_late")"
printf '%-58s %s\n' "   supervisor threads" "$threads"
printf '%-58s %s ms\n' "   SIGTERM to exit" "$term_ms"
