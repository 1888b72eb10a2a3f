#!/bin/sh
# What the JVM itself costs on this machine, with the launcher's flags but none of Carnival: the
# floor under the start-up and memory targets (bench/lib.sh builds it). bench/run.sh measures
# the same floor interleaved with Carnival and prints the ratios; this script prints it alone.
#   bench/floor.sh [runs]       # runs per row (default 40)
# Needs gcc and JAVA_HOME pointing at a JDK 25 (javac, jlink). Writes bench/results/<time>-floor.tsv.
set -eu
here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd -P)
. "$here/lib.sh"
out=$here/out/floor
runs=${1:-40}
floor_build "$out"
results_begin floor "runs=$runs"

echo "machine: $results_machine, load $results_load_before"
: > "$out/hello.times"
: > "$out/ffm.times"
i=0
while [ "$i" -lt "$runs" ]; do
  # shellcheck disable=SC2086 # the floor_* variables hold command lines
  time_to "$out/hello.times" $floor_hello
  # shellcheck disable=SC2086
  time_to "$out/ffm.times" $floor_ffm
  i=$((i + 1))
done
hello_ms=$(median < "$out/hello.times")
ffm_ms=$(median < "$out/ffm.times")
echo "1. hello, jlink image + AOT cache:              $hello_ms ms median of $runs"
echo "2. hello + one FFM downcall, + AOT cache:       $ffm_ms ms median of $runs"
result floor_hello "floor: hello, own jlink image + AOT cache" "$hello_ms" ms "median of $runs"
result floor_ffm "floor: hello + one FFM downcall" "$ffm_ms" ms "median of $runs"
# shellcheck disable=SC2086
$floor_sleep & pid=$!
sleep 12
rss=$(mib "$(status_kib "$pid" VmRSS)"); anon=$(mib "$(status_kib "$pid" RssAnon)")
echo "3. sleeping JVM, 12 s in:                       VmRSS $rss MiB, RssAnon $anon MiB"
result floor_sleep_rss "floor: sleeping JVM, 12 s in: VmRSS" "$rss" MiB
result floor_sleep_anon "floor: sleeping JVM, 12 s in: RssAnon" "$anon" MiB
kill "$pid"; wait "$pid" 2>/dev/null || true
gcc -O2 -Wall -o "$out/spawn_loop" "$here/spawn_loop.c"
: > "$out/spawn.times"
: > "$out/c.times"
i=0
while [ "$i" -lt 5 ]; do
  # shellcheck disable=SC2086
  time_to "$out/spawn.times" $floor_spawn 1000
  "$out/spawn_loop" 1000 >> "$out/c.times"
  i=$((i + 1))
done
spawn_ms=$(median < "$out/spawn.times"); c_ms=$(median < "$out/c.times")
echo "4. 1000 posix_spawnp + waitpid of true, FFM:   $spawn_ms ms start to exit (C loop $c_ms ms), median of 5"
result c_loop "C loop: 1000 x posix_spawnp + waitpid" "$c_ms" ms "median of 5, alternated"
result jvm_floor_restarts "JVM floor: the C loop's calls through FFM" "$spawn_ms" ms "median of 5, alternated" c_loop "$(ratio "$spawn_ms" "$c_ms")"
results_end
