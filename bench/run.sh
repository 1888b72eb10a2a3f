#!/bin/sh
# Carnival benchmark: the real carnival binary against the JVM's floor and a C baseline, each
# measured in the same run (interleaved), so the ratios hold on a shared machine. Not part of CI.
#   ./mvnw -B -q package -DskipTests    # from the repository root, once
#   bench/run.sh [runs]                # runs: repetitions for the start-up rows (default 21)
# Needs gcc, pgrep, and JAVA_HOME pointing at a JDK 25 (javac, jlink: for the floor).
set -eu

here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd -P)
root=$(dirname -- "$here")
. "$here/lib.sh"
carnival=${CARNIVAL:-$root/carnival-dist/target/carnival/bin/carnival}
out=$here/out
runs=${1:-21}
replicas=${REPLICAS:-1000}
restarts=${RESTARTS:-1000}
rounds=${ROUNDS:-5}

if [ ! -x "$carnival" ]; then
  echo "bench: $carnival not found; build it first: ./mvnw -B -q package -DskipTests" >&2
  exit 2
fi
mkdir -p "$out"
gcc -O2 -Wall -o "$out/spawn_loop" "$here/spawn_loop.c"
floor_build "$out/floor"
children() { pgrep -c -P "$1" || true; }
fail() { echo "bench: $1; see $2" >&2; exit 1; }
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- 1: start-up against the floor, interleaved: one service `true`, check, --version ----
cat > "$out/one.toml" <<'TOML'
[[service]]
name = "s"
command = "true"
restart = "no"
TOML
"$carnival" -c "$out/one.toml" > "$out/one.log" 2>&1 || fail "carnival failed" "$out/one.log" # also warms the page cache
for f in one check version floor_hello floor_ffm; do : > "$out/$f.times"; done
i=0
while [ "$i" -lt "$runs" ]; do
  # shellcheck disable=SC2086 # the floor_* variables hold command lines
  time_to "$out/floor_ffm.times" $floor_ffm
  time_to "$out/one.times" "$carnival" -c "$out/one.toml"
  # shellcheck disable=SC2086
  time_to "$out/floor_hello.times" $floor_hello
  time_to "$out/check.times" "$carnival" check -c "$out/one.toml"
  time_to "$out/version.times" "$carnival" --version
  i=$((i + 1))
done
for f in one check version floor_hello floor_ffm; do eval "${f}_ms=\$(median < \"\$out/\$f.times\")"; done

# ---- 1b: idle memory, 10 `sleep` services, 12 s in, beside a JVM that only sleeps, started together ----
cat > "$out/idle10.toml" <<'TOML'
[[service]]
name = "sleeper"
command = "sleep"
args = ["1000"]
replicas = 10
TOML
"$carnival" -l warn -c "$out/idle10.toml" > "$out/idle10.log" 2>&1 &
pid=$!
# shellcheck disable=SC2086
$floor_sleep &
floor_pid=$!
sleep 12
[ "$(children "$pid")" -eq 10 ] || fail "idle: $(children "$pid") of 10 services running" "$out/idle10.log"
idle_rss=$(status_kib "$pid" VmRSS)
idle_anon=$(status_kib "$pid" RssAnon)
floor_rss=$(status_kib "$floor_pid" VmRSS)
floor_anon=$(status_kib "$floor_pid" RssAnon)
kill -TERM "$pid" "$floor_pid"
wait "$pid" || true
wait "$floor_pid" 2>/dev/null || true

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
# Alternated, so that all three see the same machine; medians of $rounds rounds. The JVM floor runs
# the C loop's calls through FFM from one thread, start to exit: what the JDK itself allows.
: > "$out/restarts.times"
: > "$out/c.times"
: > "$out/jvm_loop.times"
i=0
while [ "$i" -lt "$rounds" ]; do
  t=$(now_ns)
  "$carnival" -c "$out/restarts.toml" > "$out/restarts.log" 2>&1 || fail "carnival failed" "$out/restarts.log"
  ms_since "$t" >> "$out/restarts.times"
  "$out/spawn_loop" "$restarts" >> "$out/c.times"
  # shellcheck disable=SC2086
  time_to "$out/jvm_loop.times" $floor_spawn "$restarts"
  i=$((i + 1))
done
restarts_ms=$(median < "$out/restarts.times")
runs_seen=$(grep -c 'started with PID' "$out/restarts.log" || true)
c_ms=$(median < "$out/c.times")
jvm_loop_ms=$(median < "$out/jvm_loop.times")
restart_ratio=$(ratio "$restarts_ms" "$c_ms")
ratio_net=$(awk -v a="$restarts_ms" -v s="$one_ms" -v b="$c_ms" 'BEGIN { printf "%.2f", (a - s) / b }')

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


# Target check: "met" or "MISSED", for a value against a limit.
verdict() { awk -v v="$1" -v t="$2" 'BEGIN { print (v <= t) ? "met" : "MISSED" }'; }
floor_plus4=$(awk -v f="$floor_rss" 'BEGIN { print f + 4096 }')
r_one=$(ratio "$one_ms" "$floor_ffm_ms")
printf '\nmachine: %s CPUs, load %s before, %s after\n' "$(nproc)" "$load_before" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-58s %s\n' "measure" "result"
printf '%-58s %s\n' "----------------------------------------------------------" "------------------------------"
printf '%-58s %s ms (median of %s)\n' "   floor: hello, own jlink image + AOT cache" "$floor_hello_ms" "$runs"
printf '%-58s %s ms (median of %s)\n' "   floor: hello + one FFM downcall" "$floor_ffm_ms" "$runs"
printf '%-58s %s ms = %sx floor+FFM (target 1.3x: %s)\n' "1. start to exit, one service \`true\`" "$one_ms" "$r_one" "$(verdict "$r_one" 1.3)"
printf '%-58s %s ms = %sx floor+FFM, %sx floor\n' "   carnival check -c one.toml" "$check_ms" "$(ratio "$check_ms" "$floor_ffm_ms")" "$(ratio "$check_ms" "$floor_hello_ms")"
printf '%-58s %s ms = %sx floor+FFM, %sx floor\n' "   carnival --version" "$version_ms" "$(ratio "$version_ms" "$floor_ffm_ms")" "$(ratio "$version_ms" "$floor_hello_ms")"
printf '%-58s %s MiB (RssAnon %s MiB)\n' "   floor: sleeping JVM, 12 s in" "$(mib "$floor_rss")" "$(mib "$floor_anon")"
printf '%-58s %s MiB = floor %+.1f MiB (target +4: %s); RssAnon %s MiB (target 15: %s)\n' \
  "   idle, 10 \`sleep\` services, 12 s in: VmRSS" "$(mib "$idle_rss")" "$(awk -v a="$idle_rss" -v b="$floor_rss" 'BEGIN { print (a - b) / 1024 }')" \
  "$(verdict "$idle_rss" "$floor_plus4")" "$(mib "$idle_anon")" "$(verdict "$idle_anon" 15360)"
printf '%-58s %s ms (median of %s; %s runs logged)\n' "2. $restarts restarts of \`true\` (whole carnival run)" "$restarts_ms" "$rounds" "$runs_seen"
printf '%-58s %s ms (median of %s)\n' "   C loop: $restarts x posix_spawnp + waitpid" "$c_ms" "$rounds"
printf '%-58s %s ms = %sx the C loop (median of %s)\n' "   floor: the C loop's calls from a JVM (FFM, start to exit)" "$jvm_loop_ms" "$(ratio "$jvm_loop_ms" "$c_ms")" "$rounds"
printf '%-58s %sx (target 1.4x: %s; %sx without start-up; %sx the JVM floor)\n' "   ratio carnival / C" "$restart_ratio" "$(verdict "$restart_ratio" 1.4)" "$ratio_net" "$(ratio "$restarts_ms" "$jvm_loop_ms")"
printf '%-58s %s ms\n' "3. $replicas replicas of \`sleep 1000\`: all running after" "$running_ms"
printf '%-58s %s MiB (RssAnon %s MiB)\n' "   supervisor VmRSS, 1 s after all running" "$(mib "$rss")" "$(mib "$anon")"
printf '%-58s %s MiB (RssAnon %s MiB)\n' "   supervisor VmRSS, 12 s after all running" "$(mib "$rss_late")" "$(mib "$anon_late")"
printf '%-58s %s\n' "   supervisor threads" "$threads"
printf '%-58s %s ms\n' "   SIGTERM to exit" "$term_ms"
