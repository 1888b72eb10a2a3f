#!/bin/sh
# Carnival benchmark: the real carnival binary against the JVM's floor and a C baseline, each
# measured in the same run (interleaved), so the ratios hold on a shared machine. Not part of CI.
#   ./mvnw -B -q package -DskipTests    # from the repository root, once
#   bench/run.sh [runs]                # runs: repetitions for the start-up rows (default 21)
# Needs gcc, pgrep, and JAVA_HOME pointing at a JDK 25 (javac, jlink: for the floor).
# Prints a table and writes bench/results/<time>-run.tsv (bench/render.sh makes the README's table).
set -eu

here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd -P)
. "$here/lib.sh"
out=$here/out
runs=${1:-21}
replicas=${REPLICAS:-1000}
restarts=${RESTARTS:-1000}
rounds=${ROUNDS:-5}
# ORIGINAL: a command that runs the original Python Carnival (bench/README.md says how to get one);
# when set, rows 1 and 2 run it too, interleaved with the rest, on the same configs.
original=${ORIGINAL:-}

need_carnival
mkdir -p "$out"
gcc -O2 -Wall -o "$out/spawn_loop" "$here/spawn_loop.c"
floor_build "$out/floor"
results_begin run "runs=$runs rounds=$rounds replicas=$replicas restarts=$restarts${original:+ original=$original}${RESTART_USER:+ restart_user=$RESTART_USER}"

# ---- 1: start-up against the floor, interleaved: one service `true`, check, --version ----
cat > "$out/one.toml" <<'TOML'
[[service]]
name = "s"
command = "true"
restart = "no"
TOML
"$carnival" -c "$out/one.toml" > "$out/one.log" 2>&1 || fail "carnival failed" "$out/one.log" # also warms the page cache
# The production start: as PID 1 the control socket is on (docs/configuration.md, control-socket);
# here it is asked for through the environment, at a path of a directory of this run's own.
socket_dir=$(mktemp -d)
trap 'rm -rf "$socket_dir"' EXIT
with_socket="env CARNIVAL_CONTROL_SOCKET=$socket_dir/carnival.sock"
$with_socket "$carnival" -c "$out/one.toml" > "$out/one_socket.log" 2>&1 || fail "carnival failed" "$out/one_socket.log"
grep -q 'Control socket: ' "$out/one_socket.log" || fail "carnival opened no control socket" "$out/one_socket.log"
if [ -n "$original" ]; then
  # shellcheck disable=SC2086 # a command line
  $original -c "$out/one.toml" > "$out/original_one.log" 2>&1 || fail "ORIGINAL failed" "$out/original_one.log"
  # `python -m carnival` exits 0 having run nothing (the package has no __main__ guard): time only a real run.
  grep -q 'exited with code' "$out/original_one.log" || fail "ORIGINAL ran no service" "$out/original_one.log"
fi
for f in one one_socket check version floor_hello floor_ffm original_one; do : > "$out/$f.times"; done
i=0
while [ "$i" -lt "$runs" ]; do
  # shellcheck disable=SC2086 # the floor_* variables hold command lines
  time_to "$out/floor_ffm.times" $floor_ffm
  time_to "$out/one.times" "$carnival" -c "$out/one.toml"
  # shellcheck disable=SC2086 # a command line
  time_to "$out/one_socket.times" $with_socket "$carnival" -c "$out/one.toml"
  # shellcheck disable=SC2086
  time_to "$out/floor_hello.times" $floor_hello
  time_to "$out/check.times" "$carnival" check -c "$out/one.toml"
  time_to "$out/version.times" "$carnival" --version
  if [ -n "$original" ]; then
    # shellcheck disable=SC2086 # a command line
    time_to "$out/original_one.times" $original -c "$out/one.toml"
  fi
  i=$((i + 1))
done
for f in one one_socket check version floor_hello floor_ffm; do eval "${f}_ms=\$(median < \"\$out/\$f.times\")"; done

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
# Alternated, so that all four see the same machine; medians of $rounds rounds. The JVM floor runs
# the C loop's calls through FFM from one thread, start to exit: what the JDK itself allows. The
# design floor makes the same calls in the supervisor's thread shape (see lib.sh). Beside each
# time, the inter-processor interrupts the machine took meanwhile (/proc/interrupts: rescheduling,
# function call, TLB shootdown): on a VM every wake-up of a thread on another, idle vCPU is one,
# and each costs the waker an exit to the hypervisor.
ipis() { awk '$1 == "RES:" || $1 == "CAL:" || $1 == "TLB:" { for (i = 2; i <= NF; i++) if ($i ~ /^[0-9]+$/) s += $i } END { print s + 0 }' /proc/interrupts; }
for f in restarts c jvm_loop handoff original; do : > "$out/$f.times"; : > "$out/$f.ipis"; done
timed_ipis() { # name command...
  _n=$1; shift
  _i=$(ipis)
  time_to "$out/$_n.times" "$@"
  echo "$(( $(ipis) - _i ))" >> "$out/$_n.ipis"
}
i=0
while [ "$i" -lt "$rounds" ]; do
  _i=$(ipis)
  t=$(now_ns)
  "$carnival" -c "$out/restarts.toml" > "$out/restarts.log" 2>&1 || fail "carnival failed" "$out/restarts.log"
  ms_since "$t" >> "$out/restarts.times"
  echo "$(( $(ipis) - _i ))" >> "$out/restarts.ipis"
  _i=$(ipis)
  "$out/spawn_loop" "$restarts" >> "$out/c.times"
  echo "$(( $(ipis) - _i ))" >> "$out/c.ipis"
  # shellcheck disable=SC2086
  timed_ipis jvm_loop $floor_spawn "$restarts"
  # shellcheck disable=SC2086
  timed_ipis handoff $floor_handoff "$restarts"
  if [ -n "$original" ]; then
    _i=$(ipis)
    t=$(now_ns)
    # shellcheck disable=SC2086
    $original -c "$out/restarts.toml" > "$out/original.log" 2>&1 || fail "ORIGINAL failed" "$out/original.log"
    ms_since "$t" >> "$out/original.times"
    echo "$(( $(ipis) - _i ))" >> "$out/original.ipis"
    original_runs=$(grep -c 'exited with code' "$out/original.log" || true)
    [ "$original_runs" -ge "$restarts" ] || fail "ORIGINAL made $original_runs runs of $restarts" "$out/original.log"
  fi
  i=$((i + 1))
done
restarts_ms=$(median < "$out/restarts.times")
runs_seen=$(grep -c 'started with PID' "$out/restarts.log" || true)
c_ms=$(median < "$out/c.times")
jvm_loop_ms=$(median < "$out/jvm_loop.times")
handoff_ms=$(median < "$out/handoff.times")
per_restart() { median < "$out/$1.ipis" | awk -v n="$restarts" '{ printf "%.2f", $1 / n }'; }
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
printf '\nmachine: %s, load %s before, %s after\n' "$results_machine" "$results_load_before" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-58s %s\n' "measure" "result"
printf '%-58s %s\n' "----------------------------------------------------------" "------------------------------"
printf '%-58s %s ms (median of %s)\n' "   floor: hello, own jlink image + AOT cache" "$floor_hello_ms" "$runs"
printf '%-58s %s ms (median of %s)\n' "   floor: hello + one FFM downcall" "$floor_ffm_ms" "$runs"
printf '%-58s %s ms = %sx floor+FFM (target 1.3x: %s)\n' "1. start to exit, one service \`true\`" "$one_ms" "$r_one" "$(verdict "$r_one" 1.3)"
printf '%-58s %s ms = %sx floor+FFM, %sx without the socket\n' "   the same with the control socket (as PID 1)" "$one_socket_ms" "$(ratio "$one_socket_ms" "$floor_ffm_ms")" "$(ratio "$one_socket_ms" "$one_ms")"
printf '%-58s %s ms = %sx floor+FFM, %sx floor\n' "   carnival check -c one.toml" "$check_ms" "$(ratio "$check_ms" "$floor_ffm_ms")" "$(ratio "$check_ms" "$floor_hello_ms")"
printf '%-58s %s ms = %sx floor+FFM, %sx floor\n' "   carnival --version" "$version_ms" "$(ratio "$version_ms" "$floor_ffm_ms")" "$(ratio "$version_ms" "$floor_hello_ms")"
if [ -n "$original" ]; then
  original_one_ms=$(median < "$out/original_one.times")
  printf '%-58s %s ms = %sx floor+FFM, %sx carnival\n' "   the original (Python), same config" "$original_one_ms" "$(ratio "$original_one_ms" "$floor_ffm_ms")" "$(ratio "$original_one_ms" "$one_ms")"
fi
printf '%-58s %s MiB (RssAnon %s MiB)\n' "   floor: sleeping JVM, 12 s in" "$(mib "$floor_rss")" "$(mib "$floor_anon")"
printf '%-58s %s MiB = floor %+.1f MiB (target +4: %s); RssAnon %s MiB (target 15: %s)\n' \
  "   idle, 10 \`sleep\` services, 12 s in: VmRSS" "$(mib "$idle_rss")" "$(awk -v a="$idle_rss" -v b="$floor_rss" 'BEGIN { print (a - b) / 1024 }')" \
  "$(verdict "$idle_rss" "$floor_plus4")" "$(mib "$idle_anon")" "$(verdict "$idle_anon" 15360)"
printf '%-58s %s ms (median of %s; %s runs logged)\n' "2. $restarts restarts of \`true\` (whole carnival run)" "$restarts_ms" "$rounds" "$runs_seen"
printf '%-58s %s ms (median of %s)\n' "   C loop: $restarts x posix_spawnp + waitpid" "$c_ms" "$rounds"
printf '%-58s %s ms = %sx the C loop (median of %s)\n' "   floor: the C loop's calls from a JVM (FFM, start to exit)" "$jvm_loop_ms" "$(ratio "$jvm_loop_ms" "$c_ms")" "$rounds"
printf '%-58s %s ms = %sx the C loop (median of %s)\n' "   floor: the same in the design's threads (reaper, VTs)" "$handoff_ms" "$(ratio "$handoff_ms" "$c_ms")" "$rounds"
printf '%-58s %sx (target 1.4x: %s; %sx without start-up; %sx the JVM floor, %sx the design floor)\n' "   ratio carnival / C" "$restart_ratio" "$(verdict "$restart_ratio" 1.4)" "$ratio_net" "$(ratio "$restarts_ms" "$jvm_loop_ms")" "$(ratio "$restarts_ms" "$handoff_ms")"
printf '%-58s carnival %s, C loop %s, JVM floor %s, design floor %s (medians)\n' "   inter-processor interrupts per restart" "$(per_restart restarts)" "$(per_restart c)" "$(per_restart jvm_loop)" "$(per_restart handoff)"
if [ -n "$original" ]; then
  original_ms=$(median < "$out/original.times")
  printf '%-58s %s ms = %sx the C loop, %sx carnival; %s interrupts per restart (%s runs logged)\n' "   the original (Python), same config" "$original_ms" "$(ratio "$original_ms" "$c_ms")" "$(ratio "$original_ms" "$restarts_ms")" "$(per_restart original)" "$original_runs"
fi
printf '%-58s %s ms\n' "3. $replicas replicas of \`sleep 1000\`: all running after" "$running_ms"
printf '%-58s %s MiB (RssAnon %s MiB)\n' "   supervisor VmRSS, 1 s after all running" "$(mib "$rss")" "$(mib "$anon")"
printf '%-58s %s MiB (RssAnon %s MiB)\n' "   supervisor VmRSS, 12 s after all running" "$(mib "$rss_late")" "$(mib "$anon_late")"
printf '%-58s %s\n' "   supervisor threads" "$threads"
printf '%-58s %s ms\n' "   SIGTERM to exit" "$term_ms"

# ---- the image itself: sizes on disk ----
image=$(dirname -- "$(dirname -- "$carnival")")
image_mib=$(du -sm "$image" | cut -f1)
aot_mib=$(mib "$(( $(stat -c %s "$image/lib/carnival.aot" 2>/dev/null || echo 0) / 1024 ))")
tarball=$(ls "$root"/carnival-dist/target/carnival-*-linux-*.tar.gz 2>/dev/null | head -n 1 || true)
tarball_mib=$( [ -n "$tarball" ] && mib "$(( $(stat -c %s "$tarball") / 1024 ))" || echo "")
printf '%-58s %s MiB on disk, AOT cache %s MiB, tarball %s MiB\n' "image" "$image_mib" "$aot_mib" "${tarball_mib:-(none)}"

# ---- results file: one row per figure ----
med="median of $runs"
result floor_hello "floor: hello, own jlink image + AOT cache" "$floor_hello_ms" ms "$med"
result floor_ffm "floor: hello + one FFM downcall" "$floor_ffm_ms" ms "$med"
result start_to_exit "start to exit, one \`true\` service" "$one_ms" ms "$med" floor_ffm "$r_one" 1.3x
result start_to_exit_socket "start to exit, one \`true\` service, control socket on" "$one_socket_ms" ms "$med" floor_ffm "$(ratio "$one_socket_ms" "$floor_ffm_ms")"
result check "\`carnival check\`, one service" "$check_ms" ms "$med" floor_ffm "$(ratio "$check_ms" "$floor_ffm_ms")"
result version "\`carnival --version\`" "$version_ms" ms "$med" floor_ffm "$(ratio "$version_ms" "$floor_ffm_ms")"
if [ -n "$original" ]; then
  result original_start_to_exit "the original, start to exit, same config" "$original_one_ms" ms "$med" floor_ffm "$(ratio "$original_one_ms" "$floor_ffm_ms")"
fi
result floor_sleep_rss "floor: sleeping JVM, 12 s in: VmRSS" "$(mib "$floor_rss")" MiB
result floor_sleep_anon "floor: sleeping JVM, 12 s in: RssAnon" "$(mib "$floor_anon")" MiB
result idle_rss "idle, 10 services, 12 s in: VmRSS" "$(mib "$idle_rss")" MiB "" floor_sleep_rss "$(ratio "$idle_rss" "$floor_rss")" "+4 MiB"
result idle_anon "idle, 10 services, 12 s in: RssAnon" "$(mib "$idle_anon")" MiB "" floor_sleep_anon "$(ratio "$idle_anon" "$floor_anon")" "15 MiB"
med="median of $rounds, alternated"
result restarts "$restarts restarts of \`true\`" "$restarts_ms" ms "$med" c_loop "$restart_ratio" 1.4x
result restarts_net "$restarts restarts of \`true\`, less start to exit" "$(awk -v a="$restarts_ms" -v s="$one_ms" 'BEGIN { printf "%.1f", a - s }')" ms "$med" c_loop "$ratio_net"
result c_loop "C loop: $restarts x posix_spawnp + waitpid" "$c_ms" ms "$med"
result jvm_floor_restarts "JVM floor: the C loop's calls through FFM" "$jvm_loop_ms" ms "$med" c_loop "$(ratio "$jvm_loop_ms" "$c_ms")"
result design_floor_restarts "design floor: the same in the supervisor's thread shape" "$handoff_ms" ms "$med" c_loop "$(ratio "$handoff_ms" "$c_ms")"
result restarts_ipis "inter-processor interrupts per restart" "$(per_restart restarts)" "" "$med"
result c_loop_ipis "C loop: inter-processor interrupts per spawn" "$(per_restart c)" "" "$med"
if [ -n "$original" ]; then
  result original_restarts "the original, $restarts restarts, same config" "$original_ms" ms "$med" c_loop "$(ratio "$original_ms" "$c_ms")"
  result original_restarts_ipis "the original: inter-processor interrupts per restart" "$(per_restart original)" "" "$med"
fi
result replicas_running "$replicas replicas of \`sleep\`: all running after" "$running_ms" ms "one run" "" "" "1000 ms"
result replicas_threads "$replicas replicas: supervisor threads" "$threads" "" "one run" "" "" 40
result replicas_rss "$replicas replicas: VmRSS 12 s after all run" "$(mib "$rss_late")" MiB "one run" "" "" "48 MiB"
result replicas_anon "$replicas replicas: RssAnon 12 s after all run" "$(mib "$anon_late")" MiB "one run"
result replicas_rss_early "$replicas replicas: VmRSS 1 s after all run" "$(mib "$rss")" MiB "one run"
result replicas_term "$replicas replicas: SIGTERM to exit" "$term_ms" ms "one run" "" "" "250 ms"
result image_size "image on disk" "$image_mib" MiB "du -sm" "" "" "60 MiB"
result aot_cache_size "AOT cache" "$aot_mib" MiB
if [ -n "$tarball_mib" ]; then
  result tarball_size "tarball" "$tarball_mib" MiB "" "" "" "30 MiB"
fi
results_end
